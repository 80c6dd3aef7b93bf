package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exec over SPDY/3.1 as Kubernetes clients speak it, from the client's side of the wire. */
class SpdyRemoteCommandTest {
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
  private static final List<String> V4 = List.of("v4.channel.k8s.io");

  private TestServer server;
  private SpdyTestClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void execSeparatesStdoutAndStderr() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "echo out; echo err >&2"),
        false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);

    Map<String, Integer> streams = openStreams("error", "stdout", "stderr");

    assertThat(client.response().status()).isEqualTo(101);
    assertThat(client.response().header("X-Stream-Protocol-Version"))
        .isEqualTo("v4.channel.k8s.io");
    assertThat(client.response().header("Upgrade")).isEqualTo("SPDY/3.1");
    assertThat(client.readTextToEnd(streams.get("stdout"))).isEqualTo("out\n");
    assertThat(client.readTextToEnd(streams.get("stderr"))).isEqualTo("err\n");
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    assertThat(server.runtime.calls).containsExactly("exec " + TestServer.CONTAINER_ID
        + " [sh, -c, echo out; echo err >&2] tty=false");
  }

  @Test
  void everySynReplyCarriesHeaders() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), true, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);

    Map<String, Integer> streams = openStreams("error", "stdin", "stdout", "stderr");

    for (Map.Entry<String, Integer> stream : streams.entrySet()) {
      assertThat(client.replyHeaderBlockBytes(stream.getValue()))
          .as("header block of the reply to the %s stream", stream.getKey())
          .isPositive();
    }
  }

  @Test
  void stdinReachesCommand() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("cat"), true, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdin", "stdout", "stderr");

    client.send(streams.get("stdin"), "hello\n");
    String echoed = client.readUntil(streams.get("stdout"), "hello\n");
    client.send(streams.get("stdin"), "world\n");
    client.finish(streams.get("stdin"));

    assertThat(echoed).isEqualTo("hello\n");
    assertThat(client.readTextToEnd(streams.get("stdout"))).isEqualTo("hello\nworld\n");
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    // The server grants the window back, for the stream and for the session, as it reads.
    assertThat(client.windowUpdateBytes(streams.get("stdin"))).isEqualTo(12);
    assertThat(client.windowUpdateBytes(0)).isEqualTo(12);
  }

  @Test
  void largeOutputPassesInitialWindowWithoutWindowUpdates() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("seq", "1", "1000000"), false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdout", "stderr");

    String output = client.readTextToEnd(streams.get("stdout"));

    String expected = IntStream.rangeClosed(1, 1_000_000).mapToObj(Integer::toString)
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(output.length()).isEqualTo(expected.length()).isGreaterThan(100 * 65_536);
    assertThat(output).isEqualTo(expected);
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
  }

  @Test
  void nonZeroExitCodeIsInStatus() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "exit 3"), false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdout", "stderr");

    String status = client.readTextToEnd(streams.get("error"));

    assertThat(status).isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + "\"command terminated with non-zero exit code: error executing command"
        + " [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
    assertThat(client.readTextToEnd(streams.get("stdout"))).isEmpty();
  }

  @Test
  void runtimeFailureIsInternalError() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("/nonexistent/command"), false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdout", "stderr");

    String status = client.readTextToEnd(streams.get("error"));

    assertThat(status).startsWith("{\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + "\"Internal error occurred: error executing command in container "
        + TestServer.CONTAINER_ID + ": ");
    assertThat(status).contains("\"reason\":\"InternalError\"").endsWith(",\"code\":500}");
  }

  @Test
  void protocolV3SendsFailureAsText() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "exit 5"), false, true, true, false);
    client = SpdyTestClient.connect(url, null, List.of("v3.channel.k8s.io"));
    Map<String, Integer> streams = openStreams("error", "stdout", "stderr");

    assertThat(client.response().header("X-Stream-Protocol-Version"))
        .isEqualTo("v3.channel.k8s.io");
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(
        "command terminated with non-zero exit code: error executing command [sh -c exit 5],"
            + " exit code 5");
  }

  @Test
  void protocolV2SendsNothingOnSuccess() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("echo", "hi"), false, true, false, false);
    client = SpdyTestClient.connect(url, null, List.of("v2.channel.k8s.io"));
    Map<String, Integer> streams = openStreams("error", "stdout");

    assertThat(client.readTextToEnd(streams.get("stdout"))).isEqualTo("hi\n");
    assertThat(client.readTextToEnd(streams.get("error"))).isEmpty();
  }

  @Test
  void negotiationPicksClientsFirstSupportedProtocol() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    client = SpdyTestClient.connect(url, null,
        List.of("v9.example.com", "v3.channel.k8s.io", "v4.channel.k8s.io"));

    assertThat(client.response().status()).isEqualTo(101);
    assertThat(client.response().header("X-Stream-Protocol-Version"))
        .isEqualTo("v3.channel.k8s.io");
  }

  @Test
  void newerClientGetsV5() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("echo", "five"), false, true, false, false);
    client = SpdyTestClient.connect(url, null, List.of("v5.channel.k8s.io", "v4.channel.k8s.io"));
    Map<String, Integer> streams = openStreams("error", "stdout");

    assertThat(client.response().header("X-Stream-Protocol-Version"))
        .isEqualTo("v5.channel.k8s.io");
    assertThat(client.readTextToEnd(streams.get("stdout"))).isEqualTo("five\n");
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
  }

  @Test
  void unsupportedProtocolsAreForbidden() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    client = SpdyTestClient.connect(url, null, List.of("v9.example.com"));

    assertThat(client.response().status()).isEqualTo(403);
    assertThat(client.response().headers().get("x-accepted-stream-protocol-versions"))
        .containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io",
            "v2.channel.k8s.io", "channel.k8s.io");
    assertThat(client.response().body()).contains("unable to negotiate protocol");
  }

  @Test
  void missingProtocolHeaderIsBadRequest() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    client = SpdyTestClient.connect(url, null, List.of());

    assertThat(client.response().status()).isEqualTo(400);
    assertThat(client.response().body()).contains("X-Stream-Protocol-Version is required");
  }

  @Test
  void requestWithoutUpgradeHeadersIsBadRequest() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    client = SpdyTestClient.connect(url, null, "GET",
        Map.of("X-Stream-Protocol-Version", "v4.channel.k8s.io"));

    assertThat(client.response().status()).isEqualTo(400);
    assertThat(client.response().body()).contains("missing upgrade headers");
  }

  @Test
  void ttySessionPassesResizesToRuntime() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("cat"), true, true, false, true);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdin", "stdout", "resize");
    int resize = streams.get("resize");

    client.send(resize, "{\"Width\":100,");
    client.send(resize, "\"Height\":40}\n{\"Width\":120,\"Height\":50}\n");
    awaitAppliedSizes(2);
    client.send(streams.get("stdin"), "typed\n");
    String output = client.readUntil(streams.get("stdout"), "typed\r\n");
    client.finish(streams.get("stdin"));

    assertThat(server.runtime.appliedSizes)
        .containsExactly(new TerminalSize(100, 40), new TerminalSize(120, 50));
    // The pseudo terminal echoes the input and cat prints it again, both with CRLF.
    assertThat(output).contains("typed\r\n");
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    assertThat(server.runtime.calls).containsExactly(
        "exec " + TestServer.CONTAINER_ID + " [cat] tty=true");
  }

  @Test
  void ttySessionRunsInTerminal() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("tty"), true, true, false, true);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdin", "stdout", "resize");

    String output = client.readTextToEnd(streams.get("stdout"));

    assertThat(output).startsWith("/dev/pts/");
    assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
  }

  @Test
  void pingIsAnswered() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("cat"), true, true, false, false);
    client = SpdyTestClient.connect(url, null, V4);

    client.ping(1);

    client.awaitPingReply(1);
  }

  @Test
  void missingStreamsTimeOut() throws Exception {
    server = TestServer.start(TestServer.options().withStreamCreationTimeout(
        Duration.ofMillis(300)));
    String url = server.execUrl(List.of("true"), false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);

    client.openStream("streamType", "error");
    client.openStream("streamType", "stdout");

    client.awaitServerClose();
    assertThat(server.runtime.calls).isEmpty();
  }

  @Test
  void idleConnectionIsClosed() throws Exception {
    server = TestServer.start(TestServer.options().withIdleTimeout(Duration.ofMillis(500)));
    String url = server.execUrl(List.of("sleep", "60"), false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);
    openStreams("error", "stdout", "stderr");

    client.awaitServerClose();
  }

  @Test
  void clientGoingAwayStopsCommand() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("sh", "-c", "echo started; exec sleep 60"),
        false, true, true, false);
    client = SpdyTestClient.connect(url, null, V4);
    Map<String, Integer> streams = openStreams("error", "stdout", "stderr");
    client.readUntil(streams.get("stdout"), "started");

    client.goAway();

    client.awaitServerClose();
    assertThat(server.runtime.awaitAllExited(SpdyTestClient.WAIT)).isTrue();
  }

  /** Creates the streams in the given order, as client-go does, and returns their IDs. */
  private Map<String, Integer> openStreams(String... types) throws Exception {
    Map<String, Integer> streams = new LinkedHashMap<>();
    for (String type : types) {
      streams.put(type, client.openStream("streamType", type));
    }
    return streams;
  }

  private void awaitAppliedSizes(int count) throws InterruptedException {
    long deadline = System.nanoTime() + SpdyTestClient.WAIT.toNanos();
    while (server.runtime.appliedSizes.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
