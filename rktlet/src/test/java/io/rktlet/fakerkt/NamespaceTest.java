package io.rktlet.fakerkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rktlet.fakerkt.FakeRkt.Pod;
import io.rktlet.fakerkt.FakeRkt.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod's own network, IPC and UTS namespaces: the pod process and its child are in them, and
 * apps and {@code rkt enter} commands join them. These tests need root and a kernel that lets
 * root create namespaces, and are skipped otherwise.
 */
class NamespaceTest {
  static final List<String> POD_NAMESPACES = List.of("net", "ipc", "uts");
  static final Path HOST_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
  static final String LOOPBACK = "127.0.0.1";

  static String hostHostname;

  @TempDir Path tempDir;
  FakeRkt rkt;

  @BeforeAll
  static void requireNamespaces() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "creating namespaces needs root");
    Process probe = new ProcessBuilder("unshare", "--net", "--ipc", "--uts", "true")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(probe.waitFor(10, TimeUnit.SECONDS)).as("unshare finished").isTrue();
    assumeTrue(probe.exitValue() == 0, "`unshare --net --ipc --uts true` failed: the kernel or "
        + "container does not let root create namespaces");
    hostHostname = Files.readString(HOST_HOSTNAME);
  }

  @BeforeEach
  void setUp() {
    rkt = new FakeRkt(tempDir);
    rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
  }

  @AfterEach
  void tearDown() throws IOException {
    rkt.close();
    assertThat(Files.readString(HOST_HOSTNAME)).as("the host's hostname").isEqualTo(hostHostname);
  }

  @Test
  void podProcessAndChildShareNamespaces() {
    Pod pod = rkt.startReadyPod();
    long podPid = pod.process().pid();
    List<ProcessHandle> children = pod.process().children().toList();

    assertThat(rkt.run("status", pod.uuid()).stdout()).contains("\npid=" + podPid + "\n");
    assertThat(children).as("children of the pod process").hasSize(1);
    long childPid = children.get(0).pid();
    for (String name : POD_NAMESPACES) {
      assertThat(namespace(podPid, name)).as("%s namespace of the pod process", name)
          .isNotEqualTo(ownNamespace(name));
      assertThat(namespace(childPid, name)).as("%s namespace of its child", name)
          .isEqualTo(namespace(podPid, name));
    }
  }

  @Test
  void podLoopbackIsUp() throws Exception {
    Pod pod = rkt.startReadyPod();

    Result links = runHost("nsenter", "--target=" + pod.process().pid(), "--net", "--", "ip", "-o", "link", "show");

    assertThat(links.exitCode()).as(links.stderr()).isZero();
    assertThat(links.stdout().lines().toList()).as("interfaces of the pod").hasSize(1);
    assertThat(links.stdout()).contains(": lo: <LOOPBACK,UP,LOWER_UP>");
  }

  @Test
  void appPrintsPodHostname() throws Exception {
    Pod pod = rkt.startReadyPod("--hostname=fake-pod-host");

    rkt.addAndStart(pod, AppTest.IMAGE, "name", "hostname");

    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> rkt.appStatus(pod, "name").has("exit_code")))
        .as("app exited").isTrue();
    assertThat(rkt.appStatus(pod, "name").get("exit_code").asInt()).isZero();
    assertThat(Files.readString(rkt.podDir(pod).resolve("appsinfo/name/stdout"))).isEqualTo("fake-pod-host\n");
  }

  @Test
  void defaultHostnameIsRktUuid() {
    Pod pod = rkt.startReadyPod();
    rkt.addAndStart(pod, AppTest.IMAGE, "x", "sleep 100");

    Result result = rkt.run("enter", "--app=x", pod.uuid(), "hostname");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEqualTo("rkt-" + pod.uuid() + "\n");
  }

  @Test
  void appListenerReachableOnlyInPod() throws Exception {
    int port = freeHostPort();
    Pod pod = rkt.startReadyPod();
    String listener = "import socket\n"
        + "server = socket.socket()\n"
        + "server.bind((\"127.0.0.1\", " + port + "))\n"
        + "server.listen()\n"
        + "while True:\n"
        + "    server.accept()[0].close()\n";
    rkt.addAndStart(pod, AppTest.IMAGE, "listener", "exec /usr/bin/python3 -c '" + listener + "'");
    List<String> connectInPod = List.of("nsenter", "--target=" + pod.process().pid(), "--net", "--",
        "/usr/bin/python3", "-c", "import socket; socket.create_connection((\"127.0.0.1\", " + port + "), 2)");

    boolean reachable = FakeRkt.eventually(Duration.ofSeconds(10), () -> runHost(connectInPod).exitCode() == 0);

    assertThat(reachable).as("127.0.0.1:%d in the pod's network namespace", port).isTrue();
    assertThatThrownBy(() -> connectOnHost(port)).as("127.0.0.1:%d on the host", port)
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void enterRunsInPodNamespaces() {
    Pod pod = rkt.startReadyPod("--hostname=enter-host");
    rkt.addAndStart(pod, AppTest.IMAGE, "x", "sleep 100");
    long podPid = pod.process().pid();

    Result interfaces = rkt.run("enter", "--app=x", pod.uuid(), "cat", "/proc/self/net/dev");
    Result hostname = rkt.run("app", "exec", "--app=x", pod.uuid(), "hostname");
    Result links = rkt.run("enter", "--app=x", pod.uuid(), "readlink",
        "/proc/self/ns/net", "/proc/self/ns/ipc", "/proc/self/ns/uts");

    assertThat(interfaces.exitCode()).as(interfaces.stderr()).isZero();
    assertThat(interfaceNames(interfaces.stdout())).containsExactly("lo");
    assertThat(hostname.exitCode()).as(hostname.stderr()).isZero();
    assertThat(hostname.stdout()).isEqualTo("enter-host\n");
    assertThat(links.exitCode()).as(links.stderr()).isZero();
    assertThat(links.stdout().lines().toList()).containsExactly(
        namespace(podPid, "net"), namespace(podPid, "ipc"), namespace(podPid, "uts"));
  }

  @Test
  void appJoinsPodNamespaces() throws Exception {
    Pod pod = rkt.startReadyPod();
    long podPid = pod.process().pid();

    rkt.addAndStart(pod, AppTest.IMAGE, "x", "sleep 100");

    long appPid = rkt.appPid(pod, "x");
    for (String name : POD_NAMESPACES) {
      assertThat(namespace(appPid, name)).as("%s namespace of the app", name).isEqualTo(namespace(podPid, name));
    }
  }

  @Test
  void hostNetworkPodKeepsHostNetwork() {
    Pod pod = rkt.startReadyPod("--net=host", "--hostname=hostnet-pod");
    rkt.addAndStart(pod, AppTest.IMAGE, "x", "sleep 100");
    long podPid = pod.process().pid();
    long childPid = pod.process().children().findFirst().orElseThrow().pid();

    Result hostname = rkt.run("enter", "--app=x", pod.uuid(), "hostname");

    assertThat(namespace(podPid, "net")).as("net namespace of the pod").isEqualTo(ownNamespace("net"));
    assertThat(namespace(podPid, "uts")).as("uts namespace of the pod").isNotEqualTo(ownNamespace("uts"));
    assertThat(namespace(podPid, "ipc")).as("ipc namespace of the pod").isNotEqualTo(ownNamespace("ipc"));
    assertThat(namespace(childPid, "uts")).as("uts namespace of the child").isEqualTo(namespace(podPid, "uts"));
    assertThat(hostname.exitCode()).as(hostname.stderr()).isZero();
    assertThat(hostname.stdout()).isEqualTo("hostnet-pod\n");
  }

  @Test
  void environmentVariableTurnsNamespacesOff() {
    rkt.env("RKT_FAKE_NAMESPACES", "0");
    Pod pod = rkt.startReadyPod("--hostname=ignored-host");
    rkt.addAndStart(pod, AppTest.IMAGE, "x", "sleep 100");

    Result hostname = rkt.run("enter", "--app=x", pod.uuid(), "hostname");

    assertThat(hostname.exitCode()).as(hostname.stderr()).isZero();
    for (String name : POD_NAMESPACES) {
      assertThat(namespace(pod.process().pid(), name)).as("%s namespace of the pod", name)
          .isEqualTo(ownNamespace(name));
    }
    assertThat(hostname.stdout()).isEqualTo(hostHostname);
  }

  @Test
  void stopEndsPodChild() throws Exception {
    Pod pod = rkt.startReadyPod();
    ProcessHandle child = pod.process().children().findFirst().orElseThrow();

    Result stop = rkt.run("stop", pod.uuid());

    assertThat(stop.exitCode()).as(stop.stderr()).isZero();
    assertThat(pod.process().waitFor(10, TimeUnit.SECONDS)).as("pod process exited").isTrue();
    assertThat(pod.process().exitValue()).isZero();
    assertThat(FakeRkt.processAlive(child.pid())).as("child %d alive", child.pid()).isFalse();
  }

  @Test
  void forceStopEndsPodChild() throws Exception {
    Pod pod = rkt.startReadyPod();
    ProcessHandle child = pod.process().children().findFirst().orElseThrow();

    Result stop = rkt.run("stop", "--force", pod.uuid());

    assertThat(stop.exitCode()).as(stop.stderr()).isZero();
    assertThat(pod.process().waitFor(10, TimeUnit.SECONDS)).as("pod process exited").isTrue();
    assertThat(pod.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> !FakeRkt.processAlive(child.pid())))
        .as("child %d ended", child.pid()).isTrue();
  }

  /** Returns the namespace link of a process, for example {@code net:[4026531840]}. */
  static String namespace(long pid, String name) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + name)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String ownNamespace(String name) {
    return namespace(ProcessHandle.current().pid(), name);
  }

  /** Returns the interface names of a /proc/net/dev table. */
  static List<String> interfaceNames(String table) {
    return table.lines().skip(2).map(line -> line.substring(0, line.indexOf(':')).strip()).toList();
  }

  /** Returns a TCP port on the host's 127.0.0.1 that nothing listens on at the time of the call. */
  static int freeHostPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  static void connectOnHost(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 2000);
    }
  }

  Result runHost(String... command) {
    return runHost(List.of(command));
  }

  /** Runs a host command (not rkt) and waits for it; output goes to the scratch directory. */
  Result runHost(List<String> command) {
    Path out = rkt.scratch().resolve("host.out");
    Path err = rkt.scratch().resolve("host.err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 20 s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
