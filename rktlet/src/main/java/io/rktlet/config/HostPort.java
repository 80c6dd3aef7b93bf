package io.rktlet.config;

/**
 * A TCP listening address such as {@code 127.0.0.1:9100}, {@code [::1]:9100} or
 * {@code 0.0.0.0:9100}.
 *
 * @param host a host name or IP address literal, without the brackets of an IPv6 literal
 * @param port 0 to 65535; 0 lets the kernel pick a free port
 */
public record HostPort(String host, int port) {

  /** Parses {@code HOST:PORT}; {@code what} names the setting in the error message. */
  public static HostPort parse(String what, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw invalid(what, text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      // An IPv6 literal without brackets cannot be told apart from its port.
      throw invalid(what, text);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw invalid(what, text);
    }
    if (host.isEmpty() || port < 0 || port > 65535) {
      throw invalid(what, text);
    }
    return new HostPort(host, port);
  }

  private static ConfigException invalid(String what, String text) {
    return new ConfigException("invalid " + what + " \"" + text + "\"; expected HOST:PORT "
        + "with a port from 0 to 65535, for example 127.0.0.1:9100 or [::1]:9100");
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
