package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exec over WebSocket with the channel.k8s.io subprotocols, from the client's side. */
class WebSocketRemoteCommandTest {
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;
  private static final int ERROR = 3;
  private static final int RESIZE = 4;
  private static final int CLOSE = 255;

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void v5CloseSignalEndsStdin() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("cat"), true, true, true, false);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v5.channel.k8s.io");

    WebSocketTestClient.Message ready = client.next();
    client.send(STDIN, "hello\n");
    client.send(CLOSE, new byte[] {STDIN});
    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(client.subprotocol()).isEqualTo("v5.channel.k8s.io");
    assertThat(ready.channel()).isEqualTo(STDOUT);
    assertThat(ready.payload()).isEmpty();
    assertThat(channels.get(STDOUT)).isEqualTo("hello\n");
    assertThat(channels.get(ERROR)).isEqualTo(SUCCESS);
    assertThat(client.awaitClose()).isEqualTo(1000);
  }

  @Test
  void v4ReportsExitCodeOnErrorChannel() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "echo out; echo oops >&2; exit 7"),
        false, true, true, false);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null,
        "v4.channel.k8s.io");

    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(channels.get(STDOUT)).isEqualTo("out\n");
    assertThat(channels.get(STDERR)).isEqualTo("oops\n");
    assertThat(channels.get(ERROR)).isEqualTo("{\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"command terminated with non-zero exit code: error executing command"
        + " [sh -c echo out; echo oops >&2; exit 7], exit code 7\","
        + "\"reason\":\"NonZeroExitCode\","
        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"7\"}]}}");
  }

  @Test
  void largeOutputArrivesComplete() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("seq", "1", "500000"), false, true, true, false);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v5.channel.k8s.io");

    Map<Integer, String> channels = client.readChannelsUntilClose();

    String expected = IntStream.rangeClosed(1, 500_000).mapToObj(Integer::toString)
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(channels.get(STDOUT)).isEqualTo(expected);
    assertThat(channels.get(ERROR)).isEqualTo(SUCCESS);
  }

  @Test
  void base64VariantEncodesPayloads() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("cat"), true, true, false, false);
    WebSocketTestClient client =
        WebSocketTestClient.connect(url, null, "v4.base64.channel.k8s.io");

    WebSocketTestClient.Message ready = client.next();
    client.sendText("0" + Base64.getEncoder().encodeToString("abc\n".getBytes(
        StandardCharsets.UTF_8)));
    WebSocketTestClient.Message echoed = client.next();
    client.close();

    assertThat(ready.text()).isTrue();
    assertThat(new String(ready.bytes(), StandardCharsets.US_ASCII)).isEqualTo("1");
    assertThat(echoed.text()).isTrue();
    assertThat(echoed.channel()).isEqualTo(STDOUT);
    assertThat(new String(Base64.getDecoder().decode(echoed.payload()),
        StandardCharsets.UTF_8)).isEqualTo("abc\n");
  }

  @Test
  void queryFlagsDecideChannels() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "echo out; echo err >&2"),
        false, true, true, false);
    String urlWithQuery = url + "?command=sh&output=1&error=0";
    WebSocketTestClient client =
        WebSocketTestClient.connect(urlWithQuery, null, "v4.channel.k8s.io");

    Map<Integer, String> channels = client.readChannelsUntilClose();

    // Without an error channel the runtime merges stderr into stdout.
    assertThat(channels.get(STDOUT)).contains("out\n").contains("err\n");
    assertThat(channels).doesNotContainKey(STDERR);
    assertThat(channels.get(ERROR)).isEqualTo(SUCCESS);
  }

  @Test
  void pathToleratesTrailingSlashAndQuery() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("echo", "hi"), false, true, false, false);

    WebSocketTestClient client = WebSocketTestClient.connect(url + "/?command=echo&output=1",
        null, "v4.channel.k8s.io");
    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(channels.get(STDOUT)).isEqualTo("hi\n");
  }

  @Test
  void ttyResizesReachRuntime() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("cat"), true, true, false, true);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v5.channel.k8s.io");
    client.next();

    client.send(RESIZE, "{\"Width\":80,\"Height\":24}\n");
    client.send(RESIZE, "{\"width\":132,\"height\":43}\n");
    long deadline = System.nanoTime() + WebSocketTestClient.WAIT.toNanos();
    while (server.runtime.appliedSizes.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    client.send(CLOSE, new byte[] {STDIN});
    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(server.runtime.appliedSizes)
        .containsExactly(new TerminalSize(80, 24), new TerminalSize(132, 43));
    assertThat(channels.get(ERROR)).isEqualTo(SUCCESS);
  }

  @Test
  void noSubprotocolGetsVersionOneStatus() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "exit 2"), false, true, false, false);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null);

    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(client.subprotocol()).isEmpty();
    assertThat(channels.get(ERROR)).isEqualTo("command terminated with non-zero exit code:"
        + " error executing command [sh -c exit 2], exit code 2");
  }

  @Test
  void unsupportedSubprotocolIsForbidden() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    assertThatThrownBy(() -> WebSocketTestClient.connect(url, null, "v9.example.com"))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            error -> assertThat(error.getResponse().statusCode()).isEqualTo(403));
    assertThat(server.runtime.calls).isEmpty();
  }

  @Test
  void clientClosingStopsCommand() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "echo started; exec sleep 60"),
        false, true, true, false);
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v5.channel.k8s.io");
    client.next();
    assertThat(client.next().textPayload()).isEqualTo("started\n");

    client.close();

    assertThat(server.runtime.awaitAllExited(WebSocketTestClient.WAIT)).isTrue();
  }
}
