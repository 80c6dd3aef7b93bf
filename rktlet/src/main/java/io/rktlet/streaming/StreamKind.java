package io.rktlet.streaming;

/** The three kinds of streaming session, each with its URL path segment. */
enum StreamKind {
  EXEC("exec"),
  ATTACH("attach"),
  PORT_FORWARD("portforward");

  private final String pathSegment;

  StreamKind(String pathSegment) {
    this.pathSegment = pathSegment;
  }

  String pathSegment() {
    return pathSegment;
  }

  static StreamKind fromPathSegment(String segment) {
    for (StreamKind kind : values()) {
      if (kind.pathSegment.equals(segment)) {
        return kind;
      }
    }
    return null;
  }
}
