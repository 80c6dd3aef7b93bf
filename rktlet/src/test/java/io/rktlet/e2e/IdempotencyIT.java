package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxStatusRequest;
import io.rktlet.cri.v1.RemoveContainerRequest;
import io.rktlet.cri.v1.RemoveImageRequest;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.StopContainerRequest;
import io.rktlet.cri.v1.StopPodSandboxRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls the CRI documents as idempotent succeed when repeated or given unknown IDs. */
class IdempotencyIT extends RktletTestBase {
  private static final String UNKNOWN =
      "0000000000000000000000000000000000000000000000000000000000000000";

  @Test
  void unknownIdsSucceedForStopAndRemove() {
    cri.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(UNKNOWN)
        .build());
    cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder()
        .setPodSandboxId(UNKNOWN).build());
    cri.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(UNKNOWN)
        .build());
    cri.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(UNKNOWN)
        .build());
    cri.images().removeImage(RemoveImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage("docker.io/library/absent:1")).build());
  }

  @Test
  void statusOfUnknownIdsIsNotFound() {
    assertThatThrownBy(() -> cri.runtime().podSandboxStatus(
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(UNKNOWN).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains(UNKNOWN);
        });
    assertThatThrownBy(() -> cri.runtime().containerStatus(
        ContainerStatusRequest.newBuilder().setContainerId(UNKNOWN).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(cri.images().imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage("busybox")).build()).hasImage()).isFalse();
  }

  @Test
  void repeatedStopsAndRemovesSucceed() {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String containerId = startContainer(podId, pod, "app", List.of("/bin/sleep", "300"));

    for (int i = 0; i < 2; i++) {
      cri.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(containerId)
          .setTimeout(2).build());
    }
    assertThat(containerStatus(containerId).getState())
        .isEqualTo(ContainerState.CONTAINER_EXITED);
    for (int i = 0; i < 2; i++) {
      cri.runtime().removeContainer(RemoveContainerRequest.newBuilder()
          .setContainerId(containerId).build());
      cri.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId)
          .build());
    }
    for (int i = 0; i < 2; i++) {
      cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder()
          .setPodSandboxId(podId).build());
    }
    assertThat(cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .getItemsList()).isEmpty();
  }

  @Test
  void removingRunningSandboxRemovesItsContainers() {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String containerId = startContainer(podId, pod, "app", List.of("/bin/sleep", "31337"));
    assertThat(TestProcesses.running("sleep 31337")).hasSize(1);

    cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId)
        .build());

    assertThatThrownBy(() -> containerStatus(containerId))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(TestProcesses.running("sleep 31337")).isEmpty();
  }

  @Test
  void sameSandboxNameTwiceIsAlreadyExists() {
    PodSandboxConfig pod = podConfig("web");
    runPod(pod);

    assertThatThrownBy(() -> runPod(pod))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.getStatus().getDescription()).contains("web_default_uid-web_0");
        });
  }
}
