package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code supervisor connect}: the relay between stdin and stdout and a TCP port that rktlet
 * runs in a pod's network namespace for port forwarding. The peer is a server on the loopback
 * address in this JVM.
 */
class ConnectModeTest extends SupervisorTestSupport {
  static final int PAYLOAD_SIZE = 8 * 1024 * 1024;

  /** What the test's server does with one accepted connection; returns what it received. */
  interface ConnectionHandler {
    byte[] handle(Socket socket) throws IOException;
  }

  final ExecutorService executor = Executors.newCachedThreadPool();
  final List<ServerSocket> servers = new ArrayList<>();

  @AfterEach
  void closeServers() throws IOException {
    for (ServerSocket server : servers) {
      server.close();
    }
    executor.shutdownNow();
  }

  ServerSocket listen(InetAddress address) throws IOException {
    ServerSocket server = new ServerSocket();
    servers.add(server);
    server.bind(new InetSocketAddress(address, 0));
    server.setSoTimeout((int) WAIT.toMillis());
    return server;
  }

  ServerSocket listenIpv4() throws IOException {
    return listen(InetAddress.getByName("127.0.0.1"));
  }

  /** Accepts one connection on a background thread and runs handler on it. */
  Future<byte[]> serveOnce(ServerSocket server, ConnectionHandler handler) {
    return executor.submit(() -> {
      try (Socket socket = server.accept()) {
        return handler.handle(socket);
      }
    });
  }

  Process connect(String host, int port) {
    return processes.startPiped(List.of(container.supervisor().toString(), "connect", host,
        Integer.toString(port)), SUPERVISOR_ENVIRONMENT, tempDir.resolve("connect.stderr"));
  }

  String connectStderr() throws IOException {
    return Files.readString(tempDir.resolve("connect.stderr"), UTF_8);
  }

  /** Writes data to the process's stdin on a background thread, then closes stdin. */
  Future<?> sendAndClose(Process process, byte[] data) {
    return executor.submit(() -> {
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(data);
      }
      return null;
    });
  }

  /** Reads the process's stdout to end of file on a background thread. */
  Future<byte[]> receiveAll(Process process) {
    return executor.submit(() -> process.getInputStream().readAllBytes());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT, e);
    } catch (ExecutionException e) {
      throw new AssertionError("background task failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static byte[] randomBytes(long seed) {
    byte[] data = new byte[PAYLOAD_SIZE];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** Echoes every byte until end of file, then closes the connection. */
  static byte[] echo(Socket socket) throws IOException {
    socket.getInputStream().transferTo(socket.getOutputStream());
    return new byte[0];
  }

  @Test
  void echoCarriesMegabytesUnchanged() throws IOException {
    ServerSocket server = listenIpv4();
    Future<byte[]> served = serveOnce(server, ConnectModeTest::echo);
    byte[] sent = randomBytes(1);

    Process relay = connect("127.0.0.1", server.getLocalPort());
    Future<?> sending = sendAndClose(relay, sent);
    byte[] received = await(receiveAll(relay));

    await(sending);
    await(served);
    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(received).hasSameSizeAs(sent);
    assertThat(received).isEqualTo(sent);
  }

  /**
   * The server sends its whole payload before it reads anything, so the relay must keep
   * reading the connection while the server does not read the relay's data.
   */
  @Test
  void serverSendingFirstDoesNotDeadlock() throws IOException {
    byte[] fromServer = randomBytes(2);
    byte[] fromClient = randomBytes(3);
    ServerSocket server = listenIpv4();
    Future<byte[]> served = serveOnce(server, socket -> {
      socket.getOutputStream().write(fromServer);
      socket.shutdownOutput();
      return socket.getInputStream().readAllBytes();
    });

    Process relay = connect("127.0.0.1", server.getLocalPort());
    Future<?> sending = sendAndClose(relay, fromClient);
    byte[] received = await(receiveAll(relay));

    await(sending);
    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(received).isEqualTo(fromServer);
    assertThat(await(served)).isEqualTo(fromClient);
  }

  @Test
  void replyAfterHalfCloseArrives() throws IOException {
    ServerSocket server = listenIpv4();
    Future<byte[]> served = serveOnce(server, socket -> {
      byte[] request = socket.getInputStream().readAllBytes();
      socket.getOutputStream().write(("received " + request.length + " bytes\n").getBytes(UTF_8));
      return request;
    });

    Process relay = connect("127.0.0.1", server.getLocalPort());
    await(sendAndClose(relay, "hello".getBytes(UTF_8)));
    byte[] reply = await(receiveAll(relay));

    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(new String(await(served), UTF_8)).isEqualTo("hello");
    assertThat(new String(reply, UTF_8)).isEqualTo("received 5 bytes\n");
  }

  /**
   * The peer sends a line and closes its socket entirely while stdin stays open. stdout ends
   * at once, and the relay exits 0 when its next write meets the closed connection.
   */
  @Test
  void peerCloseEndsRelayAtNextWrite() throws IOException {
    ServerSocket server = listenIpv4();
    Future<byte[]> served = serveOnce(server, socket -> {
      socket.getOutputStream().write("bye\n".getBytes(UTF_8));
      return new byte[0];
    });

    Process relay = connect("127.0.0.1", server.getLocalPort());
    byte[] received = await(receiveAll(relay));
    await(served);
    OutputStream stdin = relay.getOutputStream();
    stdin.write("after close\n".getBytes(UTF_8));
    stdin.flush();

    assertThat(new String(received, UTF_8)).isEqualTo("bye\n");
    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(connectStderr()).isEmpty();
  }

  @Test
  void localhostConnectsToIpv4Loopback() throws IOException {
    ServerSocket server = listenIpv4();
    serveOnce(server, ConnectModeTest::echo);

    Process relay = connect("localhost", server.getLocalPort());
    await(sendAndClose(relay, "ping\n".getBytes(UTF_8)));
    byte[] received = await(receiveAll(relay));

    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(new String(received, UTF_8)).isEqualTo("ping\n");
  }

  @Test
  void ipv6LoopbackConnects() throws IOException {
    ServerSocket server;
    try {
      server = listen(InetAddress.getByName("::1"));
    } catch (IOException e) {
      assumeTrue(false, "this machine has no IPv6 loopback address: " + e);
      return;
    }
    serveOnce(server, ConnectModeTest::echo);

    Process relay = connect("::1", server.getLocalPort());
    await(sendAndClose(relay, "ping6\n".getBytes(UTF_8)));
    byte[] received = await(receiveAll(relay));

    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(new String(received, UTF_8)).isEqualTo("ping6\n");
  }

  @Test
  void refusedConnectionExits1() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = closed.getLocalPort();
    }

    Processes.Result result = processes.run(List.of(container.supervisor().toString(), "connect",
        "127.0.0.1", Integer.toString(port)), SUPERVISOR_ENVIRONMENT, null, tempDir);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr())
        .isEqualTo("supervisor: cannot connect to 127.0.0.1:" + port + ": Connection refused\n");
  }

  @Test
  void announceReportsTheConnection() throws IOException {
    ServerSocket server = listenIpv4();
    Future<byte[]> served = serveOnce(server, ConnectModeTest::echo);

    Process relay = processes.startPiped(List.of(container.supervisor().toString(), "connect",
        "--announce", "127.0.0.1", Integer.toString(server.getLocalPort())),
        SUPERVISOR_ENVIRONMENT, tempDir.resolve("connect.stderr"));
    assertThat(eventually(() -> connectStderrQuietly().equals("connected\n")))
        .as("announcement within %s; stderr %s", WAIT, connectStderrQuietly()).isTrue();
    Future<?> sending = sendAndClose(relay, "ping".getBytes(UTF_8));
    byte[] received = await(receiveAll(relay));

    await(sending);
    await(served);
    assertThat(Processes.waitFor(relay)).isZero();
    assertThat(received).isEqualTo("ping".getBytes(UTF_8));
    assertThat(connectStderr()).isEqualTo("connected\n");
  }

  @Test
  void announceIsAbsentWhenRefused() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = closed.getLocalPort();
    }

    Processes.Result result = processes.run(List.of(container.supervisor().toString(), "connect",
        "--announce", "127.0.0.1", Integer.toString(port)), SUPERVISOR_ENVIRONMENT, null,
        tempDir);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .isEqualTo("supervisor: cannot connect to 127.0.0.1:" + port + ": Connection refused\n");
  }

  private String connectStderrQuietly() {
    try {
      return connectStderr();
    } catch (IOException e) {
      return "";
    }
  }

  static Stream<List<String>> invalidArguments() {
    return Stream.of(List.of(), List.of("127.0.0.1"), List.of("127.0.0.1", "0"),
        List.of("127.0.0.1", "65536"), List.of("127.0.0.1", "http"), List.of("127.0.0.1", "-1"),
        List.of("no-such-host.invalid", "80"), List.of("", "80"), List.of("[::1]", "80"),
        List.of("127.0.0.1", "80", "extra"), List.of("--announce", "127.0.0.1"),
        List.of("--other", "127.0.0.1", "80"));
  }

  @ParameterizedTest
  @MethodSource("invalidArguments")
  void invalidArgumentsExit125(List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(container.supervisor().toString(), "connect"));
    command.addAll(arguments);

    Processes.Result result = processes.run(command, SUPERVISOR_ENVIRONMENT, null, tempDir);

    assertThat(result.exitCode()).isEqualTo(125);
    assertThat(result.stderr()).contains("usage: supervisor connect [--announce] HOST PORT");
  }

  /** A reset is an ordinary end: the peer closes with SO_LINGER 0, which sends a reset. */
  @Test
  void resetConnectionEndsRelay() throws IOException {
    ServerSocket server = listenIpv4();
    Future<byte[]> served = serveOnce(server, socket -> {
      socket.setSoLinger(true, 0);
      return new byte[0];
    });

    Process relay = connect("127.0.0.1", server.getLocalPort());
    await(served);
    byte[] received = await(receiveAll(relay));

    assertThat(received).isEmpty();
    assertThat(Processes.waitFor(relay)).as("exit code; stderr %s", connectStderr()).isZero();
    assertThat(connectStderr()).isEmpty();
  }
}
