package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.StopContainerRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Containers that end on their own, and stop timeouts. */
class ContainerExitIT extends RktletTestBase {

  @Test
  void exitCodesOfContainersThatEndOnTheirOwn() throws Exception {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String ok = startContainer(podId, pod, "ok", List.of("/bin/true"));
    String failed = startContainer(podId, pod, "failed", List.of("/bin/sh", "-c", "exit 3"));

    ContainerStatus okStatus = awaitExited(ok);
    ContainerStatus failedStatus = awaitExited(failed);

    assertThat(okStatus.getExitCode()).isZero();
    assertThat(okStatus.getReason()).isEqualTo("Completed");
    assertThat(okStatus.getFinishedAt()).isGreaterThanOrEqualTo(okStatus.getStartedAt());
    assertThat(failedStatus.getExitCode()).isEqualTo(3);
    assertThat(failedStatus.getReason()).isEqualTo("Error");
  }

  @Test
  void stopKillsContainerThatIgnoresSigtermWithinTimeout() throws Exception {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String id = startContainer(podId, pod, "stubborn",
        List.of("/bin/sh", "-c", "trap '' TERM; while true; do sleep 1; done"));

    long start = System.nanoTime();
    cri.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id)
        .setTimeout(2).build());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofSeconds(2 + 10));
    ContainerStatus status = containerStatus(id);
    assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(status.getExitCode()).isEqualTo(137);
  }

  @Test
  void moreThanFiveStartsInOnePodAllSucceed() {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);

    for (int i = 0; i < 7; i++) {
      String id = startContainer(podId, pod, "c" + i, List.of("/bin/sleep", "300"));
      assertThat(containerStatus(id).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    }
  }

  private ContainerStatus awaitExited(String id) throws InterruptedException {
    return await(() -> containerStatus(id),
        status -> status.getState() == ContainerState.CONTAINER_EXITED, Duration.ofSeconds(10));
  }
}
