package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ListContainersRequest;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxState;
import io.rktlet.cri.v1.PodSandboxStatus;
import io.rktlet.cri.v1.PodSandboxStatusRequest;
import io.rktlet.cri.v1.RemoveContainerRequest;
import io.rktlet.cri.v1.RemoveImageRequest;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.StartContainerRequest;
import io.rktlet.cri.v1.StatusRequest;
import io.rktlet.cri.v1.StopContainerRequest;
import io.rktlet.cri.v1.StopPodSandboxRequest;
import io.rktlet.cri.v1.VersionRequest;
import io.rktlet.cri.v1.VersionResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pod, container and image lifecycle through the real socket, like crictl does it. */
class LifecycleIT {
  @TempDir
  Path dir;

  private RktletProcess rktlet;
  private CriClient cri;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    rktlet = new RktletProcess("LifecycleIT-" + test.getDisplayName(), dir, List.of(),
        Map.of()).start();
    cri = new CriClient(rktlet.socket());
  }

  @AfterEach
  void stop() throws Exception {
    cri.close();
    rktlet.close();
  }

  @Test
  void versionAndStatus() {
    VersionResponse version = cri.runtime().version(VersionRequest.getDefaultInstance());

    assertThat(version.getRuntimeName()).isEqualTo("rkt");
    assertThat(version.getRuntimeVersion()).isEqualTo("1.30.0");
    assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
    assertThat(cri.runtime().status(StatusRequest.getDefaultInstance()).getStatus()
        .getConditionsList())
        .allSatisfy(condition -> assertThat(condition.getStatus()).isTrue());
  }

  @Test
  void podContainerAndImageLifecycle() throws Exception {
    String imageId = cri.images().pullImage(Requests.pull("busybox")).getImageRef();
    assertThat(imageId).startsWith("sha256:");
    assertThat(cri.images().listImages(ListImagesRequest.getDefaultInstance()).getImagesList())
        .singleElement()
        .satisfies(image -> assertThat(image.getRepoTagsList())
            .containsExactly("docker.io/library/busybox:latest"));

    PodSandboxConfig pod = Requests.pod("web", dir.resolve("logs/web"));
    String podId = cri.runtime().runPodSandbox(Requests.runPod(pod)).getPodSandboxId();
    PodSandboxStatus podStatus = cri.runtime().podSandboxStatus(
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(podId).build()).getStatus();
    assertThat(podStatus.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
    assertThat(podStatus.getNetwork().getIp()).startsWith("172.16.28.");
    assertThat(podStatus.getAnnotationsMap()).isEqualTo(pod.getAnnotationsMap());
    assertThat(podStatus.getLabelsMap()).isEqualTo(pod.getLabelsMap());

    String containerId = cri.runtime().createContainer(Requests.create(podId,
        Requests.container("app", "busybox", List.of("/bin/sleep", "300")), pod))
        .getContainerId();
    assertThat(status(containerId).getState()).isEqualTo(ContainerState.CONTAINER_CREATED);

    cri.runtime().startContainer(
        StartContainerRequest.newBuilder().setContainerId(containerId).build());
    ContainerStatus running = status(containerId);
    assertThat(running.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(running.getStartedAt()).isPositive();
    assertThat(running.getImageId()).isEqualTo(imageId);
    assertThat(running.getImage().getImage()).isEqualTo("busybox");
    assertThat(running.getLogPath()).isEqualTo(dir.resolve("logs/web/app/0.log").toString());
    assertThat(cri.runtime().listContainers(ListContainersRequest.getDefaultInstance())
        .getContainersList()).extracting(c -> c.getId()).containsExactly(containerId);

    cri.runtime().stopContainer(
        StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(5).build());
    ContainerStatus exited = status(containerId);
    assertThat(exited.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(exited.getFinishedAt()).isGreaterThanOrEqualTo(exited.getStartedAt());

    cri.runtime().removeContainer(
        RemoveContainerRequest.newBuilder().setContainerId(containerId).build());
    assertThat(cri.runtime().listContainers(ListContainersRequest.getDefaultInstance())
        .getContainersList()).isEmpty();

    cri.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId)
        .build());
    assertThat(cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .getItems(0).getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY);
    cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId)
        .build());
    assertThat(cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .getItemsList()).isEmpty();

    cri.images().removeImage(RemoveImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(imageId)).build());
    assertThat(cri.images().imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage("busybox")).build()).hasImage()).isFalse();
  }

  private ContainerStatus status(String id) {
    return cri.runtime().containerStatus(
        ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus();
  }
}
