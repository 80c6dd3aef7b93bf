package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.Container;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ListContainersRequest;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.PodSandbox;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxState;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.StartContainerRequest;
import io.rktlet.cri.v1.StopContainerRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Restarting rktlet, cleanly or by SIGKILL, loses and duplicates nothing. */
class RestartIT extends RktletTestBase {

  @ParameterizedTest(name = "crash={0}")
  @ValueSource(booleans = {false, true})
  void podsContainersAndImagesSurviveRestart(boolean crash) throws Exception {
    String imageId = pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String running = startContainer(podId, pod, "server", List.of("/bin/sleep", "41337"));
    String created = createContainer(podId, pod, "later", List.of("/bin/sleep", "41338"));

    restart(crash);

    List<PodSandbox> pods = cri.runtime().listPodSandbox(
        ListPodSandboxRequest.getDefaultInstance()).getItemsList();
    assertThat(pods).extracting(PodSandbox::getId).containsExactly(podId);
    assertThat(pods.get(0).getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
    assertThat(podStatus(podId).getNetwork().getIp()).startsWith("172.16.28.");
    List<Container> containers = cri.runtime().listContainers(
        ListContainersRequest.getDefaultInstance()).getContainersList();
    assertThat(containers).extracting(Container::getId)
        .containsExactlyInAnyOrder(running, created);
    assertThat(containerStatus(running).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(TestProcesses.running("sleep 41337")).hasSize(1);
    assertThat(cri.images().listImages(ListImagesRequest.getDefaultInstance()).getImagesList())
        .extracting(image -> image.getId()).containsExactly(imageId);

    // The records still drive rkt after the restart.
    cri.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(created)
        .build());
    assertThat(containerStatus(created).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    cri.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(running)
        .setTimeout(2).build());
    assertThat(containerStatus(running).getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    cri.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId)
        .build());
    assertThat(TestProcesses.running("sleep 4133")).isEmpty();
  }

  @ParameterizedTest(name = "crash={0}")
  @ValueSource(booleans = {false, true})
  void containerExitWhileRktletIsDownIsNoticed(boolean crash) throws Exception {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String id = startContainer(podId, pod, "short", List.of("/bin/sh", "-c", "sleep 2; exit 7"));

    cri.close();
    if (crash) {
      rktlet.kill();
    } else {
      rktlet.terminate();
    }
    Thread.sleep(3000);
    rktlet.start();
    cri = new CriClient(rktlet.socket());

    var status = await(() -> containerStatus(id),
        s -> s.getState() == ContainerState.CONTAINER_EXITED, Duration.ofSeconds(10));
    assertThat(status.getExitCode()).isEqualTo(7);
    assertThat(status.getReason()).isEqualTo("Error");
  }
}
