package io.rktlet.streaming;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A HOST:PORT address to bind, and the host to put in the URLs that clients receive. */
record ServerAddress(String host, int port) {
  ServerAddress {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  /**
   * Parses {@code HOST:PORT}; an IPv6 host is written in brackets, as in {@code [::1]:10010}.
   *
   * @throws IllegalArgumentException when the address has no port or the port is not a number
   */
  static ServerAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          "streaming address " + address + " is invalid; use HOST:PORT, port 0 for any");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new ServerAddress(host, Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "streaming address " + address + " has an invalid port; use HOST:PORT", e);
    }
  }

  /**
   * Returns the host for URLs: the configured one, or loopback when the server binds to all
   * addresses, because the clients that receive URLs (the kubelet, crictl) run on this node.
   */
  String urlHost(InetSocketAddress bound) {
    InetAddress address = bound.getAddress();
    String urlHost = host;
    if (address.isAnyLocalAddress()) {
      urlHost = address instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
    }
    return urlHost.contains(":") ? "[" + urlHost + "]" : urlHost;
  }
}
