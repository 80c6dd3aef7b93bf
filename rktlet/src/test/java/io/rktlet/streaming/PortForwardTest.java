package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Port forwarding over SPDY, over SPDY tunnelled through WebSocket, and over WebSocket
 * channels, to two echo servers that stand in for ports 80 and 8080 of a pod sandbox.
 */
class PortForwardTest {
  private TestServer server;
  private EchoServer port80;
  private EchoServer port8080;

  @BeforeEach
  void startServers() throws Exception {
    server = TestServer.start();
    port80 = new EchoServer("web");
    port8080 = new EchoServer("admin");
    server.runtime.forwardedPorts.put(80, port80.port());
    server.runtime.forwardedPorts.put(8080, port8080.port());
  }

  @AfterEach
  void stopServers() throws Exception {
    server.close();
    port80.close();
    port8080.close();
  }

  @Test
  void spdyForwardsConcurrentConnections() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(server.portForwardUrl(), null,
        List.of("portforward.k8s.io"))) {
      forwardTwoPortsConcurrently(client);
    }
    assertThat(port80.maxOpenConnections()).isEqualTo(2);
    assertThat(port8080.maxOpenConnections()).isEqualTo(2);
    assertThat(server.runtime.calls).containsExactlyInAnyOrder(
        "portForward " + TestServer.SANDBOX_ID + " 80",
        "portForward " + TestServer.SANDBOX_ID + " 80",
        "portForward " + TestServer.SANDBOX_ID + " 8080",
        "portForward " + TestServer.SANDBOX_ID + " 8080");
  }

  @Test
  void tunnelForwardsConcurrentConnections() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.overWebSocket(server.portForwardUrl(), null)) {
      assertThat(client.response().header("Sec-WebSocket-Protocol"))
          .isEqualTo("SPDY/3.1+portforward.k8s.io");
      forwardTwoPortsConcurrently(client);
    }
    assertThat(port80.maxOpenConnections()).isEqualTo(2);
    assertThat(port8080.maxOpenConnections()).isEqualTo(2);
  }

  /** Opens two connections to each port, all four at once, as client-go does per request. */
  private void forwardTwoPortsConcurrently(SpdyTestClient client) throws Exception {
    Connection first80 = Connection.open(client, 80, 0);
    Connection second80 = Connection.open(client, 80, 1);
    Connection first8080 = Connection.open(client, 8080, 2);
    Connection second8080 = Connection.open(client, 8080, 3);

    for (Connection connection : List.of(first80, second80, first8080, second8080)) {
      client.send(connection.data, "hello " + connection.requestId + "\n");
    }

    assertThat(client.readUntil(first80.data, "\n")).isEqualTo("web:hello 0\n");
    assertThat(client.readUntil(second80.data, "\n")).isEqualTo("web:hello 1\n");
    assertThat(client.readUntil(first8080.data, "\n")).isEqualTo("admin:hello 2\n");
    assertThat(client.readUntil(second8080.data, "\n")).isEqualTo("admin:hello 3\n");
    for (Connection connection : List.of(first80, second80, first8080, second8080)) {
      connection.close(client);
    }
  }

  @Test
  void spdyHalfCloseReachesTarget() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(server.portForwardUrl(), null,
        List.of("portforward.k8s.io"))) {
      Connection connection = Connection.open(client, 80, 7);

      client.send(connection.data, "last line\n");
      client.finish(connection.data);

      // The echo server replies, reads the end of input and closes. Then the data stream ends.
      assertThat(client.readTextToEnd(connection.data)).isEqualTo("web:last line\n");
      client.reset(connection.data);
      assertThat(client.readTextToEnd(connection.error)).isEmpty();
      assertThat(client.isFinished(connection.error)).isTrue();
    }
  }

  @Test
  void spdyReportsRefusedConnectionOnErrorStream() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(server.portForwardUrl(), null,
        List.of("portforward.k8s.io"))) {
      Connection connection = Connection.open(client, 81, 0);

      String error = client.readTextToEnd(connection.error);

      assertThat(error).isEqualTo("error forwarding port 81 to pod sandbox "
          + TestServer.SANDBOX_ID + ": connection refused: nothing listens on port 81");
      assertThat(client.readTextToEnd(connection.data)).isEmpty();
    }
  }

  @Test
  void spdyRejectsStreamsWithInvalidHeaders() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(server.portForwardUrl(), null,
        List.of("portforward.k8s.io"))) {
      int withoutPort = client.synStream("streamType", "data", "requestID", "0");
      int badPort = client.synStream("streamType", "data", "port", "70000", "requestID", "1");
      int badType = client.synStream("streamType", "stdout", "port", "80", "requestID", "2");

      assertThat(client.awaitReply(withoutPort)).isFalse();
      assertThat(client.awaitReply(badPort)).isFalse();
      assertThat(client.awaitReply(badType)).isFalse();
      assertThat(client.resetStatus(withoutPort)).isEqualTo(SpdyStreamStatus.REFUSED_STREAM);
    }
    assertThat(server.runtime.calls).isEmpty();
  }

  @Test
  void spdyNeedsPortForwardProtocol() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(server.portForwardUrl(), null,
        List.of("v4.channel.k8s.io"))) {
      assertThat(client.response().status()).isEqualTo(403);
      assertThat(client.response().header("X-Accepted-Stream-Protocol-Versions"))
          .isEqualTo("portforward.k8s.io");
    }
  }

  @Test
  void webSocketChannelsStartWithPortNumbers() throws Exception {
    String url = server.portForwardUrl() + "?port=80&port=8080";
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v4.channel.k8s.io");

    Map<Integer, byte[]> prefixes = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      WebSocketTestClient.Message message = client.next();
      prefixes.put(message.channel(), message.payload());
    }
    client.send(0, "to web\n");
    client.send(2, "to admin\n");
    WebSocketTestClient.Message first = client.next();
    WebSocketTestClient.Message second = client.next();
    client.close();

    assertThat(port(prefixes.get(0))).isEqualTo(80);
    assertThat(port(prefixes.get(1))).isEqualTo(80);
    assertThat(port(prefixes.get(2))).isEqualTo(8080);
    assertThat(port(prefixes.get(3))).isEqualTo(8080);
    Map<Integer, String> replies = Map.of(first.channel(), first.textPayload(),
        second.channel(), second.textPayload());
    assertThat(replies).containsEntry(0, "web:to web\n").containsEntry(2, "admin:to admin\n");
  }

  @Test
  void webSocketUsesRequestPortsWithoutQuery() throws Exception {
    String url = server.portForwardUrl(8080);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v4.channel.k8s.io");

    WebSocketTestClient.Message dataPrefix = client.next();
    WebSocketTestClient.Message errorPrefix = client.next();
    client.send(0, "ping\n");
    WebSocketTestClient.Message reply = client.next();
    client.close();

    assertThat(port(dataPrefix.payload())).isEqualTo(8080);
    assertThat(port(errorPrefix.payload())).isEqualTo(8080);
    assertThat(reply.textPayload()).isEqualTo("admin:ping\n");
  }

  @Test
  void webSocketReportsRefusedConnectionAndCloses() throws Exception {
    String url = server.portForwardUrl() + "?port=81";
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v4.channel.k8s.io");

    Map<Integer, String> channels = client.readChannelsUntilClose();

    // Each channel's text starts with the two-byte port, 81 little-endian: 'Q' and NUL.
    assertThat(channels.get(1)).isEqualTo("Q\0error forwarding port 81 to pod sandbox "
        + TestServer.SANDBOX_ID + ": connection refused: nothing listens on port 81");
    assertThat(client.awaitClose()).isEqualTo(1000);
  }

  @Test
  void webSocketWithoutPortsIsBadRequest() throws Exception {
    String url = server.portForwardUrl();

    assertThatThrownBy(() -> WebSocketTestClient.connect(url, null, "v4.channel.k8s.io"))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            error -> assertThat(error.getResponse().statusCode()).isEqualTo(400));
    assertThat(server.runtime.calls).isEmpty();
  }

  private static int port(byte[] prefix) {
    return ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
  }

  /** The error and data streams of one forwarded connection, created as client-go does. */
  private record Connection(int requestId, int error, int data) {
    static Connection open(SpdyTestClient client, int port, int requestId) throws Exception {
      int error = client.openStream("streamType", "error", "port", Integer.toString(port),
          "requestID", Integer.toString(requestId));
      // The client only reads the error stream, so it half-closes it at once.
      client.finish(error);
      int data = client.openStream("streamType", "data", "port", Integer.toString(port),
          "requestID", Integer.toString(requestId));
      return new Connection(requestId, error, data);
    }

    void close(SpdyTestClient client) throws Exception {
      client.finish(data);
      client.readToEnd(data);
      client.reset(data);
      client.readToEnd(error);
    }
  }
}
