package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rktlet.cri.v1.ContainerStats;
import io.rktlet.cri.v1.ContainerStatsFilter;
import io.rktlet.cri.v1.ContainerStatsRequest;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.ImageFsInfoRequest;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.cri.v1.ListContainerStatsRequest;
import io.rktlet.cri.v1.ListPodSandboxStatsRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxStats;
import io.rktlet.cri.v1.PodSandboxStatsRequest;
import io.rktlet.cri.v1.UpdateContainerResourcesRequest;
import io.rktlet.cri.v1.UpdatePodSandboxResourcesRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stats from cgroup files, pod resource updates, and OOM kills reported as OOMKilled. */
class ResourcesIT extends RktletTestBase {

  @Test
  void statsOfContainersAndPodsWithFilters() throws Exception {
    pull("busybox");
    PodSandboxConfig web = podConfig("web");
    PodSandboxConfig db = podConfig("db");
    String webId = runPod(web);
    String dbId = runPod(db);
    String busy = startContainer(webId, web, "busy", List.of("/bin/sh", "-c",
        "while true; do :; done"));
    String idle = startContainer(dbId, db, "idle", List.of("/bin/sleep", "300"));
    Thread.sleep(500);

    ContainerStats stats = cri.runtime().containerStats(ContainerStatsRequest.newBuilder()
        .setContainerId(busy).build()).getStats();
    assertThat(stats.getAttributes().getId()).isEqualTo(busy);
    assertThat(stats.getCpu().getUsageCoreNanoSeconds().getValue()).isPositive();
    assertThat(stats.getMemory().getWorkingSetBytes().getValue()).isPositive();

    assertThat(cri.runtime().listContainerStats(ListContainerStatsRequest.getDefaultInstance())
        .getStatsList()).extracting(s -> s.getAttributes().getId())
        .containsExactlyInAnyOrder(busy, idle);
    assertThat(listContainerStats(ContainerStatsFilter.newBuilder().setPodSandboxId(dbId)
        .build())).containsExactly(idle);
    assertThat(listContainerStats(ContainerStatsFilter.newBuilder().setId(busy).build()))
        .containsExactly(busy);
    assertThat(listContainerStats(ContainerStatsFilter.newBuilder()
        .putLabelSelector("container", "idle").build())).containsExactly(idle);

    PodSandboxStats pod = cri.runtime().podSandboxStats(PodSandboxStatsRequest.newBuilder()
        .setPodSandboxId(webId).build()).getStats();
    assertThat(pod.getLinux().getCpu().getUsageCoreNanoSeconds().getValue()).isPositive();
    assertThat(pod.getLinux().getMemory().getUsageBytes().getValue()).isPositive();
    assertThat(pod.getLinux().getContainersList()).extracting(s -> s.getAttributes().getId())
        .containsExactly(busy);
    assertThat(cri.runtime().listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance())
        .getStatsList()).hasSize(2);
    var fsInfo = cri.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
    assertThat(fsInfo.getImageFilesystemsList()).hasSize(1);
    assertThat(fsInfo.getContainerFilesystemsList()).singleElement()
        .satisfies(fs -> assertThat(fs.getUsedBytes().getValue()).isPositive());
  }

  @Test
  void sandboxResourcesLimitThePodCgroup() throws Exception {
    Path memoryRoot = Path.of("/sys/fs/cgroup/memory");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(memoryRoot),
        "needs the cgroup v1 memory controller, as on the recorded rkt host");
    PodSandboxConfig pod = podConfig("limited").toBuilder()
        .setLinux(io.rktlet.cri.v1.LinuxPodSandboxConfig.newBuilder()
            .setResources(LinuxContainerResources.newBuilder()
                .setMemoryLimitInBytes(96L * 1024 * 1024)))
        .build();

    String podId = runPod(pod);

    Path limit = memoryRoot.resolve("rktlet-" + podId.substring(0, 16))
        .resolve("memory.limit_in_bytes");
    assertThat(Files.readString(limit).strip()).isEqualTo(Long.toString(96L * 1024 * 1024));
  }

  @Test
  void outOfMemoryKillIsReportedAsOomKilled() throws Exception {
    Path memoryRoot = Path.of("/sys/fs/cgroup/memory");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(memoryRoot),
        "needs the cgroup v1 memory controller, as on the recorded rkt host");
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    cri.runtime().updatePodSandboxResources(UpdatePodSandboxResourcesRequest.newBuilder()
        .setPodSandboxId(podId)
        .setResources(LinuxContainerResources.newBuilder()
            .setMemoryLimitInBytes(64L * 1024 * 1024))
        .build());

    String hog = startContainer(podId, pod, "hog", List.of("python3", "-c",
        "b = []\nwhile True:\n    b.append(bytearray(8 * 1024 * 1024))"));

    ContainerStatus status = await(() -> containerStatus(hog),
        s -> s.getState() == io.rktlet.cri.v1.ContainerState.CONTAINER_EXITED,
        Duration.ofSeconds(20));
    assertThat(status.getExitCode()).isEqualTo(137);
    assertThat(status.getReason()).isEqualTo("OOMKilled");
  }

  @Test
  void containerResourceUpdateFailsClearlyWithoutAppCgroupControllers() {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    String id = startContainer(podId, pod, "app", List.of("/bin/sleep", "300"));

    // On a hybrid host an app's cgroup2 unit has no resource controllers.
    assertThatThrownBy(() -> cri.runtime().updateContainerResources(
        UpdateContainerResourcesRequest.newBuilder().setContainerId(id)
            .setLinux(LinuxContainerResources.newBuilder()
                .setMemoryLimitInBytes(128L * 1024 * 1024))
            .build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isIn(Status.Code.INVALID_ARGUMENT,
              Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).containsAnyOf("memory", "cgroup");
        });
  }

  private List<String> listContainerStats(ContainerStatsFilter filter) {
    return cri.runtime().listContainerStats(ListContainerStatsRequest.newBuilder()
        .setFilter(filter).build()).getStatsList().stream()
        .map(s -> s.getAttributes().getId()).toList();
  }
}
