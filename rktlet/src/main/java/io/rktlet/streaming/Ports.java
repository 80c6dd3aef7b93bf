package io.rktlet.streaming;

/** Parsing of TCP port numbers from headers and query parameters. */
final class Ports {
  private Ports() {}

  /** Returns the port, or null unless the text is a decimal number from 1 to 65535. */
  static Integer parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 5) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return null;
      }
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535 ? port : null;
  }
}
