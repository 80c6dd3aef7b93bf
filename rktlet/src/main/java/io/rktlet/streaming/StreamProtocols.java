package io.rktlet.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Names of the Kubernetes streaming subprotocols, and how a server picks one. */
final class StreamProtocols {
  /** Remote command v5: v4 plus a WebSocket message that closes one channel. */
  static final String V5 = "v5.channel.k8s.io";
  /** Remote command v4: the error stream carries a JSON Status with the exit code. */
  static final String V4 = "v4.channel.k8s.io";
  /** Remote command v3: v2 plus a resize stream for TTY sessions. */
  static final String V3 = "v3.channel.k8s.io";
  /** Remote command v2: the client creates the error stream first. */
  static final String V2 = "v2.channel.k8s.io";
  /** Remote command v1, also the binary WebSocket framing before v4. */
  static final String V1 = "channel.k8s.io";
  static final String V4_BASE64 = "v4.base64.channel.k8s.io";
  static final String V1_BASE64 = "base64.channel.k8s.io";
  /** Port forwarding over SPDY. */
  static final String PORT_FORWARD = "portforward.k8s.io";
  /** SPDY port forwarding tunnelled through WebSocket binary messages. */
  static final String SPDY_TUNNEL_PORT_FORWARD = "SPDY/3.1+" + PORT_FORWARD;

  static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";
  static final String ACCEPTED_PROTOCOLS_HEADER = "X-Accepted-Stream-Protocol-Versions";

  static final List<String> SPDY_REMOTE_COMMAND = List.of(V5, V4, V3, V2, V1);
  static final List<String> SPDY_PORT_FORWARD = List.of(PORT_FORWARD);
  /** The empty name stands for a client that asked for no subprotocol. */
  static final List<String> WEBSOCKET_REMOTE_COMMAND =
      List.of(V5, V4, V4_BASE64, V1, V1_BASE64, "");
  static final List<String> WEBSOCKET_PORT_FORWARD =
      List.of(SPDY_TUNNEL_PORT_FORWARD, V4, V4_BASE64, "");

  private StreamProtocols() {}

  /** Splits header values such as {@code "v4.channel.k8s.io, v3.channel.k8s.io"}. */
  static List<String> parseList(List<String> headerValues) {
    List<String> protocols = new ArrayList<>();
    for (String value : headerValues) {
      for (String item : value.split(",")) {
        String protocol = item.strip();
        if (!protocol.isEmpty()) {
          protocols.add(protocol);
        }
      }
    }
    return protocols;
  }

  /** Returns the first protocol in the client's order that the server supports. */
  static Optional<String> negotiate(List<String> clientProtocols, List<String> serverProtocols) {
    return clientProtocols.stream().filter(serverProtocols::contains).findFirst();
  }

  /** Returns whether the error stream carries a JSON Status (v4 and later) or plain text. */
  static boolean hasJsonStatus(String protocol) {
    return protocol.equals(V5) || protocol.equals(V4) || protocol.equals(V4_BASE64);
  }

  /** Returns whether a SPDY client of this version creates a resize stream for a TTY. */
  static boolean hasResizeStream(String protocol) {
    return protocol.equals(V5) || protocol.equals(V4) || protocol.equals(V3);
  }
}
