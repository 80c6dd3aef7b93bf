package io.rktlet.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of WebSocket requests. Requests in the kubelet's API style carry the
 * exec options, as in {@code ?command=ls&input=1&output=1&tty=1}, and the forwarded ports, as
 * in {@code ?port=80&port=8080}. With WebSocket the server, not the client, opens the channels,
 * so these parameters decide which channels exist.
 */
final class QueryParameters {
  private static final List<String> STREAM_FLAGS = List.of("input", "output", "error", "tty");

  private QueryParameters() {}

  /**
   * Returns the request with the stream flags from the query, or unchanged when the query has
   * none. The command always comes from the CRI request, never from the query.
   *
   * @throws IllegalArgumentException if the flags select no stream
   */
  static CommandRequest applyStreamFlags(CommandRequest request,
      Map<String, List<String>> parameters) {
    if (STREAM_FLAGS.stream().noneMatch(parameters::containsKey)) {
      return request;
    }
    CommandRequest flagged = request.withStreams(flag(parameters, "input"),
        flag(parameters, "output"), flag(parameters, "error"), flag(parameters, "tty"));
    if (!flagged.stdin() && !flagged.stdout() && !flagged.stderr()) {
      throw new IllegalArgumentException(
          "query parameters select no stream; set at least one of input, output and error to 1");
    }
    return flagged;
  }

  /**
   * Returns the ports from the query, each {@code port} parameter a number or a comma-separated
   * list, or else the ports of the CRI request.
   *
   * @throws IllegalArgumentException if a port is invalid, or there is none at all
   */
  static List<Integer> ports(PortForwardTarget target, Map<String, List<String>> parameters) {
    List<String> values = parameters.getOrDefault("port", List.of());
    if (values.isEmpty()) {
      if (target.ports().isEmpty()) {
        throw new IllegalArgumentException(
            "query parameter port is required; give the ports to forward, as in ?port=80");
      }
      return target.ports();
    }
    List<Integer> ports = new ArrayList<>();
    for (String value : values) {
      for (String item : value.split(",", -1)) {
        Integer port = Ports.parse(item.strip());
        if (port == null) {
          throw new IllegalArgumentException(
              "query parameter port=" + value + " is invalid; ports are numbers from 1 to 65535");
        }
        ports.add(port);
      }
    }
    return ports;
  }

  private static boolean flag(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    return !values.isEmpty() && (values.get(0).equals("1") || values.get(0).equals("true"));
  }
}
