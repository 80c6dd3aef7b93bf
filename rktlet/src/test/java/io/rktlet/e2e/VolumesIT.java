package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.Mount;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.RemoveContainerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Volumes are bind mounts into the app's root filesystem, made and undone by rktlet. */
class VolumesIT extends RktletTestBase {

  @Test
  void volumesAreBoundIntoTheAppAndUnboundOnRemoval() throws Exception {
    Assumptions.assumeTrue(TestHost.isRoot(), "bind mounts need root");
    pull("busybox");
    Path data = Files.createDirectories(dir.resolve("host/data"));
    Files.writeString(data.resolve("hello.txt"), "hi");
    Path link = Files.createSymbolicLink(dir.resolve("host/link"), data);
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    ContainerConfig config = Requests.container("app", "busybox", List.of("/bin/sleep", "300"))
        .toBuilder()
        .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath(link.toString()))
        .addMounts(Mount.newBuilder().setContainerPath("/ro").setHostPath(data.toString())
            .setReadonly(true))
        .build();

    String id = cri.runtime().createContainer(Requests.create(podId, config, pod))
        .getContainerId();

    ContainerStatus status = containerStatus(id);
    assertThat(status.getMountsList()).hasSize(2);
    Path rootfs = appRootfs(podId, id);
    assertThat(rootfs.resolve("data/hello.txt")).hasContent("hi");
    assertThat(rootfs.resolve("ro/hello.txt")).hasContent("hi");
    assertThat(mountOptions(rootfs.resolve("ro"))).contains("ro");
    assertThat(mountOptions(rootfs.resolve("data"))).contains("rw");

    cri.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id)
        .build());

    assertThat(mountOptions(rootfs.resolve("data"))).isEmpty();
    assertThat(mountOptions(rootfs.resolve("ro"))).isEmpty();
    assertThat(data.resolve("hello.txt")).hasContent("hi");
  }

  private Path appRootfs(String podId, String containerId) throws Exception {
    String uuid = Files.readString(rktlet.stateDir().resolve("sandboxes").resolve(podId)
        .resolve("pod-uuid")).strip();
    try (var apps = Files.list(rktlet.rktDir().resolve("pods/run").resolve(uuid)
        .resolve("stage1/rootfs/opt/stage2"))) {
      return apps.filter(app -> app.getFileName().toString()
              .endsWith(containerId.substring(0, 12)))
          .findFirst().orElseThrow().resolve("rootfs");
    }
  }

  /** Returns the mount options of the mount at {@code path}, or empty when none is there. */
  private static String mountOptions(Path path) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] fields = line.split(" ");
      if (fields[4].equals(path.toString())) {
        return fields[5];
      }
    }
    return "";
  }
}
