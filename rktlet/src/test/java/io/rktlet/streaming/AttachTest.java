package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attach over SPDY and WebSocket; the test runtime attaches to a {@code cat} process. */
class AttachTest {
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void spdyAttachCarriesStdinAndStdout() throws Exception {
    String url = server.attachUrl(true, true, true, false);
    try (SpdyTestClient client =
        SpdyTestClient.connect(url, null, List.of("v4.channel.k8s.io"))) {
      int error = client.openStream("streamType", "error");
      int stdin = client.openStream("streamType", "stdin");
      int stdout = client.openStream("streamType", "stdout");
      client.openStream("streamType", "stderr");

      client.send(stdin, "attached\n");
      String echoed = client.readUntil(stdout, "attached\n");
      client.finish(stdin);

      assertThat(echoed).isEqualTo("attached\n");
      assertThat(client.readTextToEnd(error)).isEqualTo(SUCCESS);
    }
    assertThat(server.runtime.calls)
        .containsExactly("attach " + TestServer.CONTAINER_ID + " tty=false");
  }

  @Test
  void webSocketAttachWithTty() throws Exception {
    String url = server.attachUrl(true, true, false, true);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v5.channel.k8s.io");
    client.next();

    client.send(4, "{\"Width\":90,\"Height\":30}");
    client.send(0, "over websocket\n");
    StringBuilder output = new StringBuilder();
    while (!output.toString().contains("over websocket\r\n")) {
      output.append(client.next().textPayload());
    }
    client.send(255, new byte[] {0});
    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(channels.get(3)).isEqualTo(SUCCESS);
    assertThat(server.runtime.appliedSizes).containsExactly(new TerminalSize(90, 30));
    assertThat(server.runtime.calls)
        .containsExactly("attach " + TestServer.CONTAINER_ID + " tty=true");
  }
}
