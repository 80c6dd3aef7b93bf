package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.streaming.SpdyTestClient;
import io.rktlet.streaming.WebSocketTestClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exec and Attach through the URL that the CRI call returns, with the Kubernetes remote
 * command protocol {@code v4.channel.k8s.io} over WebSocket and over SPDY/3.1, against
 * commands that run in a container of the rkt test double.
 */
class StreamingIT extends RktletTestBase {
  private static final String V4 = "v4.channel.k8s.io";
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
  /** WebSocket channels of the v4 protocol. */
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;
  private static final int ERROR = 3;
  private static final int RESIZE = 4;
  /** Prints the terminal size whenever it changes, and exits once it is 50 rows, 120 columns. */
  private static final String WATCH_SIZE = "last=; while :; do size=$(stty size);"
      + " if [ \"$size\" != \"$last\" ]; then echo \"size=$size\"; last=$size; fi;"
      + " [ \"$size\" = '50 120' ] && exit 0; sleep 0.05; done";
  /** Echoes each input line until the end of stdin, then prints {@code stdin-closed}. */
  private static final String ECHO_LINES =
      "while read line; do echo \"got:$line\"; done; echo stdin-closed";

  private PodSandboxConfig pod;
  private String podId;
  private String containerId;

  @BeforeEach
  void startContainer() {
    pull("busybox");
    pod = podConfig("streaming");
    podId = runPod(pod);
    containerId = startContainer(podId, pod, "shell", List.of("/bin/sleep", "27183"));
  }

  @Test
  void webSocketExecEcho() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        execUrl(false, false, "echo", "hello"), null, V4);

    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(client.subprotocol()).isEqualTo(V4);
    assertThat(channels.get(STDOUT)).isEqualTo("hello\n");
    assertThat(channels.getOrDefault(STDERR, "")).isEmpty();
    assertThat(channels.get(ERROR)).isEqualTo(SUCCESS);
  }

  @Test
  void spdyExecEcho() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(
        execUrl(false, false, "sh", "-c", "echo hello; echo oops >&2"), null, List.of(V4))) {
      Map<String, Integer> streams = openStreams(client, "error", "stdout", "stderr");

      assertThat(client.response().status()).isEqualTo(101);
      assertThat(client.readTextToEnd(streams.get("stdout"))).isEqualTo("hello\n");
      assertThat(client.readTextToEnd(streams.get("stderr"))).isEqualTo("oops\n");
      assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    }
  }

  @Test
  void webSocketExecStdinAndClose() throws Exception {
    // The unique file name finds the command's process; cat reads stdin before it.
    String marker = "/no-such-file-1414";
    WebSocketTestClient client = WebSocketTestClient.connect(
        execUrl(true, false, "cat", "-", marker), null, V4);
    WebSocketChannels reader = new WebSocketChannels(client);

    client.send(STDIN, "hello\n");
    assertThat(reader.readUntil(STDOUT, "hello\n")).isEqualTo("hello\n");
    assertThat(TestProcesses.running(marker)).isNotEmpty();
    client.close();

    // v4 cannot end stdin alone, so closing the connection ends the command.
    await(() -> TestProcesses.running(marker), List::isEmpty, Duration.ofSeconds(10));
  }

  @Test
  void spdyExecStdin() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(execUrl(true, false, "cat"), null,
        List.of(V4))) {
      Map<String, Integer> streams = openStreams(client, "error", "stdin", "stdout", "stderr");

      client.send(streams.get("stdin"), "hello\n");
      assertThat(client.readUntil(streams.get("stdout"), "hello\n")).isEqualTo("hello\n");
      client.send(streams.get("stdin"), "world\n");
      client.finish(streams.get("stdin"));

      assertThat(client.readTextToEnd(streams.get("stdout"))).isEqualTo("hello\nworld\n");
      assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    }
  }

  @Test
  void webSocketExecTtyResize() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        execUrl(true, true, "sh", "-c", WATCH_SIZE), null, V4);
    WebSocketChannels reader = new WebSocketChannels(client);

    client.send(RESIZE, "{\"Width\":100,\"Height\":40}");
    assertThat(reader.readUntil(STDOUT, "size=40 100\r\n")).contains("size=40 100\r\n");
    client.send(RESIZE, "{\"Width\":120,\"Height\":50}");
    reader.readUntilClose();

    assertThat(reader.text(STDOUT)).endsWith("size=50 120\r\n");
    assertThat(reader.text(ERROR)).isEqualTo(SUCCESS);
  }

  @Test
  void spdyExecTtyResize() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(
        execUrl(true, true, "sh", "-c", WATCH_SIZE), null, List.of(V4))) {
      Map<String, Integer> streams = openStreams(client, "error", "stdin", "stdout", "resize");

      client.send(streams.get("resize"), "{\"Width\":100,\"Height\":40}");
      assertThat(client.readUntil(streams.get("stdout"), "size=40 100\r\n"))
          .contains("size=40 100\r\n");
      client.send(streams.get("resize"), "{\"Width\":120,\"Height\":50}");

      assertThat(client.readTextToEnd(streams.get("stdout"))).endsWith("size=50 120\r\n");
      assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    }
  }

  @Test
  void webSocketNonZeroExitCodeInStatus() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        execUrl(false, false, "sh", "-c", "exit 3"), null, V4);

    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(channels.get(ERROR)).isEqualTo(nonZeroExitStatus("sh -c exit 3", 3));
  }

  @Test
  void spdyNonZeroExitCodeInStatus() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(
        execUrl(false, false, "sh", "-c", "exit 3"), null, List.of(V4))) {
      Map<String, Integer> streams = openStreams(client, "error", "stdout", "stderr");

      assertThat(client.readTextToEnd(streams.get("error")))
          .isEqualTo(nonZeroExitStatus("sh -c exit 3", 3));
    }
  }

  @Test
  void webSocketExecLargeOutput() throws Exception {
    WebSocketTestClient client = WebSocketTestClient.connect(
        execUrl(false, false, "seq", "1", "1000000"), null, V4);

    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertOneToMillion(channels.get(STDOUT));
    assertThat(channels.get(ERROR)).isEqualTo(SUCCESS);
  }

  @Test
  void spdyExecOutputBeyondInitialWindow() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(
        execUrl(false, false, "seq", "1", "1000000"), null, List.of(V4))) {
      Map<String, Integer> streams = openStreams(client, "error", "stdout", "stderr");

      // Like Go's SPDY client, the test client never sends WINDOW_UPDATE.
      assertOneToMillion(client.readTextToEnd(streams.get("stdout")));
      assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    }
  }

  @Test
  void webSocketAttachClosesStdinOnce() throws Exception {
    String attachable = startAttachable("ws-attach");
    WebSocketTestClient client = WebSocketTestClient.connect(attachUrl(attachable), null, V4);
    WebSocketChannels reader = new WebSocketChannels(client);

    client.send(STDIN, "hello\n");
    assertThat(reader.readUntil(STDOUT, "got:hello\n")).isEqualTo("got:hello\n");
    client.close();

    // stdin_once: the container's stdin ends with the first attach session that used it.
    ContainerStatus status = awaitExited(attachable, Duration.ofSeconds(20));
    assertThat(status.getExitCode()).isZero();
    assertThat(CriLog.lines(logFile(pod, attachableConfig("ws-attach")), "stdout"))
        .containsExactly("got:hello", "stdin-closed");
  }

  @Test
  void spdyAttachClosesStdinOnce() throws Exception {
    String attachable = startAttachable("spdy-attach");
    try (SpdyTestClient client = SpdyTestClient.connect(attachUrl(attachable), null,
        List.of(V4))) {
      Map<String, Integer> streams = openStreams(client, "error", "stdin", "stdout", "stderr");

      client.send(streams.get("stdin"), "hello\n");
      assertThat(client.readUntil(streams.get("stdout"), "got:hello\n"))
          .isEqualTo("got:hello\n");
      client.finish(streams.get("stdin"));

      assertThat(client.readTextToEnd(streams.get("stdout")))
          .isEqualTo("got:hello\nstdin-closed\n");
      assertThat(client.readTextToEnd(streams.get("error"))).isEqualTo(SUCCESS);
    }
    ContainerStatus status = awaitExited(attachable, Duration.ofSeconds(20));
    assertThat(status.getExitCode()).isZero();
  }

  @Test
  void webSocketAttachTtyResize() throws Exception {
    ContainerConfig config = Requests.container("terminal", "busybox",
        List.of("/bin/sh", "-c", WATCH_SIZE)).toBuilder().setTty(true).setStdin(true).build();
    String terminal = startContainer(podId, pod, config);
    String url = cri.runtime().attach(AttachRequest.newBuilder().setContainerId(terminal)
        .setStdin(true).setTty(true).setStdout(true).build()).getUrl();
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, V4);
    WebSocketChannels reader = new WebSocketChannels(client);

    // Attach does not replay output, so the sizes printed before it are in the log only.
    client.send(RESIZE, "{\"Width\":100,\"Height\":40}");
    assertThat(reader.readUntil(STDOUT, "size=40 100\r\n")).endsWith("size=40 100\r\n");
    client.send(RESIZE, "{\"Width\":120,\"Height\":50}");
    reader.readUntilClose();

    assertThat(reader.text(STDOUT)).endsWith("size=50 120\r\n");
    assertThat(reader.text(ERROR)).isEqualTo(SUCCESS);
    assertThat(awaitExited(terminal, Duration.ofSeconds(20)).getExitCode()).isZero();
  }

  private String execUrl(boolean stdin, boolean tty, String... command) {
    return cri.runtime().exec(ExecRequest.newBuilder().setContainerId(containerId)
        .addAllCmd(List.of(command)).setStdin(stdin).setTty(tty).setStdout(true)
        .setStderr(!tty).build()).getUrl();
  }

  private String attachUrl(String id) {
    return cri.runtime().attach(AttachRequest.newBuilder().setContainerId(id).setStdin(true)
        .setStdout(true).setStderr(true).build()).getUrl();
  }

  private static ContainerConfig attachableConfig(String name) {
    return Requests.container(name, "busybox", List.of("/bin/sh", "-c", ECHO_LINES))
        .toBuilder().setStdin(true).setStdinOnce(true).build();
  }

  private String startAttachable(String name) {
    return startContainer(podId, pod, attachableConfig(name));
  }

  /** Creates the streams in the given order, as client-go does, and returns their IDs. */
  private static Map<String, Integer> openStreams(SpdyTestClient client, String... types)
      throws Exception {
    Map<String, Integer> streams = new LinkedHashMap<>();
    for (String type : types) {
      streams.put(type, client.openStream("streamType", type));
    }
    return streams;
  }

  /** Returns the status JSON that the kubelet sends for a command's non-zero exit code. */
  private static String nonZeroExitStatus(String command, int exitCode) {
    return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with"
        + " non-zero exit code: error executing command [" + command + "], exit code "
        + exitCode + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
        + "[{\"reason\":\"ExitCode\",\"message\":\"" + exitCode + "\"}]}}";
  }

  /** Checks the output of {@code seq 1 1000000}, about 6.9 MB. */
  private static void assertOneToMillion(String output) {
    String expected = IntStream.rangeClosed(1, 1_000_000).mapToObj(Integer::toString)
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(output).isNotNull();
    assertThat(output.length()).isEqualTo(expected.length());
    // Compared as a boolean, so that a failure does not print megabytes of text.
    assertThat(output.equals(expected)).as("output equals seq 1 1000000").isTrue();
  }
}
