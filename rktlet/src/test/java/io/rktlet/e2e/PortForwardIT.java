package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.LinuxPodSandboxConfig;
import io.rktlet.cri.v1.LinuxSandboxSecurityContext;
import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.NamespaceOption;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PortForwardRequest;
import io.rktlet.streaming.SpdyTestClient;
import io.rktlet.streaming.WebSocketTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PortForward through the URL that the CRI call returns: to servers on 127.0.0.1 inside a
 * pod's own network namespace, where the host cannot reach them, and to a server on the host
 * for a pod on the host network.
 */
class PortForwardIT extends RktletTestBase {
  private static final List<String> PORT_FORWARD = List.of("portforward.k8s.io");
  /** Replies to each connection with the number of bytes read, once the client's data ends. */
  private static final String COUNT_UNTIL_EOF = String.join("\n",
      "import socket",
      "server = socket.socket()",
      "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "server.bind(('127.0.0.1', 8082))",
      "server.listen()",
      "print('counting on 8082', flush=True)",
      "while True:",
      "    connection, _ = server.accept()",
      "    received = b''",
      "    while True:",
      "        chunk = connection.recv(65536)",
      "        if not chunk:",
      "            break",
      "        received += chunk",
      "    connection.sendall(b'read %d bytes' % len(received))",
      "    connection.close()");

  private PodSandboxConfig pod;
  private String podId;

  @BeforeEach
  void pullImage() {
    Assumptions.assumeTrue(TestHost.isRoot(), "pod network namespaces need root");
    pull("busybox");
  }

  @Test
  void spdyForwardsTwoConnectionsPerPort() throws Exception {
    startWebServers();
    try (SpdyTestClient client = SpdyTestClient.connect(portForwardUrl(), null,
        PORT_FORWARD)) {
      // All four connections are open before any request is sent.
      List<Connection> connections = List.of(Connection.open(client, 8080, 0),
          Connection.open(client, 8080, 1), Connection.open(client, 8081, 2),
          Connection.open(client, 8081, 3));
      for (Connection connection : connections) {
        client.send(connection.data(), httpGet("/name.txt"));
      }

      for (Connection connection : connections) {
        String response = client.readTextToEnd(connection.data());
        assertThat(response).as("response on port %d", connection.port())
            .startsWith("HTTP/1.0 200 OK").endsWith("\r\n\r\nserved on " + connection.port());
      }
      for (Connection connection : connections) {
        client.finish(connection.data());
        assertThat(client.readTextToEnd(connection.error()))
            .as("error stream of port %d", connection.port()).isEmpty();
      }
    }
  }

  @Test
  void spdyForwardsLargeResponse() throws Exception {
    byte[] file = new byte[5 * 1024 * 1024];
    new Random(42).nextBytes(file);
    startWebServers();
    Files.write(dir.resolve("site-8080/large.bin"), file);
    try (SpdyTestClient client = SpdyTestClient.connect(portForwardUrl(), null,
        PORT_FORWARD)) {
      Connection connection = Connection.open(client, 8080, 0);

      client.send(connection.data(), httpGet("/large.bin"));
      byte[] response = client.readToEnd(connection.data());

      byte[] body = Arrays.copyOfRange(response, response.length - file.length,
          response.length);
      assertThat(response.length).isGreaterThan(file.length);
      // Compared as a boolean, so that a failure does not print megabytes of data.
      assertThat(Arrays.equals(body, file)).as("body equals the file").isTrue();
    }
  }

  @Test
  void webSocketForwardsTwoConnectionsPerPort() throws Exception {
    startWebServers();
    // A WebSocket session forwards one connection per port, so two sessions give two each.
    WebSocketTestClient first = WebSocketTestClient.connect(
        portForwardUrl() + "?port=8080&port=8081", null, "v4.channel.k8s.io");
    WebSocketTestClient second = WebSocketTestClient.connect(
        portForwardUrl() + "?port=8080&port=8081", null, "v4.channel.k8s.io");
    WebSocketChannels firstChannels = new WebSocketChannels(first);
    WebSocketChannels secondChannels = new WebSocketChannels(second);

    // Channel 0 carries port 8080's data and 1 its errors, channels 2 and 3 those of 8081.
    for (WebSocketTestClient client : List.of(first, second)) {
      client.send(0, httpGet("/name.txt"));
      client.send(2, httpGet("/name.txt"));
    }

    for (WebSocketChannels channels : List.of(firstChannels, secondChannels)) {
      channels.readUntilClose();
      assertThat(portPrefix(channels.bytes(0))).isEqualTo(8080);
      assertThat(portPrefix(channels.bytes(1))).isEqualTo(8080);
      assertThat(portPrefix(channels.bytes(2))).isEqualTo(8081);
      assertThat(portPrefix(channels.bytes(3))).isEqualTo(8081);
      assertThat(afterPrefix(channels.bytes(0))).startsWith("HTTP/1.0 200 OK")
          .endsWith("\r\n\r\nserved on 8080");
      assertThat(afterPrefix(channels.bytes(2))).startsWith("HTTP/1.0 200 OK")
          .endsWith("\r\n\r\nserved on 8081");
      assertThat(afterPrefix(channels.bytes(1))).isEmpty();
      assertThat(afterPrefix(channels.bytes(3))).isEmpty();
    }
  }

  @Test
  void clientHalfCloseReachesServer() throws Exception {
    startPod(podConfig("forward"));
    startContainer(podId, pod, "counter", List.of("python3", "-c", COUNT_UNTIL_EOF));
    awaitInLog("counter", "counting on 8082");
    try (SpdyTestClient client = SpdyTestClient.connect(portForwardUrl(), null,
        PORT_FORWARD)) {
      Connection connection = Connection.open(client, 8082, 0);

      // 1 MiB, more than SPDY's initial window of 64 KiB and the relay's buffer.
      client.send(connection.data(), new byte[1024 * 1024]);
      client.finish(connection.data());

      // The server replies only after it has read the end of the client's data.
      assertThat(client.readTextToEnd(connection.data())).isEqualTo("read 1048576 bytes");
      assertThat(client.readTextToEnd(connection.error())).isEmpty();
    }
  }

  @Test
  void portWithoutServerReportsError() throws Exception {
    startPod(podConfig("forward"));
    try (SpdyTestClient client = SpdyTestClient.connect(portForwardUrl(), null,
        PORT_FORWARD)) {
      Connection connection = Connection.open(client, 8089, 0);

      String error = client.readTextToEnd(connection.error());

      assertThat(error).isEqualTo("error forwarding port 8089 to pod sandbox " + podId
          + ": supervisor: cannot connect to 127.0.0.1:8089: Connection refused");
      assertThat(client.readTextToEnd(connection.data())).isEmpty();
    }
  }

  @Test
  void hostNetworkPodReachesHostLoopback() throws Exception {
    startPod(podConfig("host-network").toBuilder()
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
            LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(
                NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
        .build());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SpdyTestClient client = SpdyTestClient.connect(portForwardUrl(server.getLocalPort()),
            null, PORT_FORWARD)) {
      Thread serving = answerOnce(server, "hello from the host");
      Connection connection = Connection.open(client, server.getLocalPort(), 0);

      client.send(connection.data(), "hi\n");

      assertThat(client.readTextToEnd(connection.data())).isEqualTo("hello from the host");
      client.finish(connection.data());
      assertThat(client.readTextToEnd(connection.error())).isEmpty();
      serving.join(Duration.ofSeconds(10).toMillis());
    }
  }

  private void startPod(PodSandboxConfig config) {
    pod = config;
    podId = runPod(pod);
  }

  /**
   * Starts a container with two HTTP servers on the pod's 127.0.0.1, ports 8080 and 8081, each
   * serving a {@code name.txt} that names its port, and waits until both listen.
   */
  private void startWebServers() throws Exception {
    startPod(podConfig("forward"));
    Path site8080 = Files.createDirectories(dir.resolve("site-8080"));
    Path site8081 = Files.createDirectories(dir.resolve("site-8081"));
    Files.writeString(site8080.resolve("name.txt"), "served on 8080");
    Files.writeString(site8081.resolve("name.txt"), "served on 8081");
    startContainer(podId, pod, "web", List.of("/bin/sh", "-c",
        "python3 -u -m http.server 8080 --bind 127.0.0.1 --directory '" + site8080 + "' &"
            + " exec python3 -u -m http.server 8081 --bind 127.0.0.1 --directory '" + site8081
            + "'"));
    awaitInLog("web", "Serving HTTP on 127.0.0.1 port 8080");
    awaitInLog("web", "Serving HTTP on 127.0.0.1 port 8081");
  }

  private void awaitInLog(String container, String text) throws InterruptedException {
    ContainerConfig config = Requests.container(container, "busybox", List.of());
    Path log = logFile(pod, config);
    await(() -> {
      try {
        return CriLog.lines(log, "stdout");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, lines -> lines.stream().anyMatch(line -> line.contains(text)), Duration.ofSeconds(20));
  }

  private String portForwardUrl(int... ports) {
    PortForwardRequest.Builder request = PortForwardRequest.newBuilder().setPodSandboxId(podId);
    for (int port : ports) {
      request.addPort(port);
    }
    return cri.runtime().portForward(request.build()).getUrl();
  }

  private static String httpGet(String path) {
    return "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  }

  /** Returns the port that starts each channel of a WebSocket port-forward session. */
  private static int portPrefix(byte[] channel) {
    assertThat(channel).hasSizeGreaterThanOrEqualTo(2);
    return ByteBuffer.wrap(channel, 0, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
  }

  private static String afterPrefix(byte[] channel) {
    return new String(Arrays.copyOfRange(channel, 2, channel.length), StandardCharsets.UTF_8);
  }

  /** Accepts one connection, reads a line, writes {@code reply} and closes, on a thread. */
  private static Thread answerOnce(ServerSocket server, String reply) {
    Thread thread = new Thread(() -> {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        int read = in.read();
        while (read >= 0 && read != '\n') {
          read = in.read();
        }
        OutputStream out = socket.getOutputStream();
        out.write(reply.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "host-server");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The error and data streams of one forwarded connection, created as client-go does. */
  private record Connection(int port, int error, int data) {
    static Connection open(SpdyTestClient client, int port, int requestId) throws Exception {
      String portText = Integer.toString(port);
      String requestText = Integer.toString(requestId);
      int error = client.openStream("streamType", "error", "port", portText,
          "requestID", requestText);
      // The client only reads the error stream, so it half-closes it at once.
      client.finish(error);
      int data = client.openStream("streamType", "data", "port", portText,
          "requestID", requestText);
      return new Connection(port, error, data);
    }
  }
}
