package io.rktlet.e2e;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxStatus;
import io.rktlet.cri.v1.PodSandboxStatusRequest;
import io.rktlet.cri.v1.StartContainerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Starts one rktlet with the rkt test double per test and offers the common CRI steps. */
abstract class RktletTestBase {
  @TempDir
  Path dir;

  RktletProcess rktlet;
  CriClient cri;

  /** Extra command-line flags for rktlet; tests override this to change the configuration. */
  List<String> rktletArgs() {
    return List.of();
  }

  /** Extra environment for rktlet and so for the rkt test double it runs. */
  Map<String, String> rktletEnvironment() {
    return Map.of();
  }

  @BeforeEach
  void startRktlet(TestInfo test) throws Exception {
    String name = getClass().getSimpleName() + "-"
        + test.getTestMethod().map(method -> method.getName()).orElse("") + "-"
        + test.getDisplayName();
    rktlet = new RktletProcess(name, dir, rktletArgs(), rktletEnvironment()).start();
    cri = new CriClient(rktlet.socket());
  }

  @AfterEach
  void stopRktlet() throws Exception {
    cri.close();
    rktlet.close();
  }

  /** Restarts rktlet (SIGTERM, or SIGKILL when {@code crash}) and reconnects. */
  void restart(boolean crash) throws Exception {
    cri.close();
    if (crash) {
      rktlet.kill();
    } else {
      rktlet.terminate();
    }
    rktlet.start();
    cri = new CriClient(rktlet.socket());
  }

  String pull(String image) {
    return cri.images().pullImage(Requests.pull(image)).getImageRef();
  }

  PodSandboxConfig podConfig(String name) {
    return Requests.pod(name, dir.resolve("logs").resolve(name));
  }

  String runPod(PodSandboxConfig config) {
    return cri.runtime().runPodSandbox(Requests.runPod(config)).getPodSandboxId();
  }

  String createContainer(String podId, PodSandboxConfig pod, String name, List<String> command) {
    return cri.runtime().createContainer(Requests.create(podId,
        Requests.container(name, "busybox", command), pod)).getContainerId();
  }

  String startContainer(String podId, PodSandboxConfig pod, String name, List<String> command) {
    String id = createContainer(podId, pod, name, command);
    cri.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  /** Creates and starts a container from a full config, for tests that set more fields. */
  String startContainer(String podId, PodSandboxConfig pod, ContainerConfig config) {
    String id = cri.runtime().createContainer(Requests.create(podId, config, pod))
        .getContainerId();
    cri.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  /** Returns the host path of a container's log file, {@code log_directory/log_path}. */
  static Path logFile(PodSandboxConfig pod, ContainerConfig config) {
    return Path.of(pod.getLogDirectory()).resolve(config.getLogPath());
  }

  /** Waits until the container has exited, at most {@code timeout}, and returns its status. */
  ContainerStatus awaitExited(String id, Duration timeout) throws InterruptedException {
    return await(() -> containerStatus(id),
        status -> status.getState() == ContainerState.CONTAINER_EXITED, timeout);
  }

  ContainerStatus containerStatus(String id) {
    return cri.runtime().containerStatus(
        ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus();
  }

  PodSandboxStatus podStatus(String id) {
    return cri.runtime().podSandboxStatus(
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build()).getStatus();
  }

  /** Waits until {@code condition} holds for the supplied value, at most {@code timeout}. */
  static <T> T await(Supplier<T> value, Predicate<T> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T current = value.get();
    while (!condition.test(current)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout + "; last value: "
            + current);
      }
      Thread.sleep(100);
      current = value.get();
    }
    return current;
  }
}
