package io.rktlet.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ContainerMetadata;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxMetadata;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.SandboxRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir
  Path dir;

  @Test
  void recordsSurviveReopening() throws Exception {
    PodSandboxConfig podConfig = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("default"))
        .putAnnotations("a/b", "value with spaces")
        .build();
    SandboxRecord sandbox = new SandboxRecord("s1", podConfig, "", SandboxRecord.Phase.READY,
        "61d4948c-6bf7-429e-b346-bfa38a5d9404", "172.16.28.6", 123L, 4567L);
    ContainerRecord container = new ContainerRecord("c1", "s1",
        ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("app"))
            .build(),
        "app-c1", "busybox", "sha256:ab", "sha512-cd", "/var/log/pods/x/app/0.log",
        ContainerRecord.Phase.EXITED, new ContainerRecord.Times(1, 2, 3),
        new ContainerRecord.Exit(137, "Error", "killed"), List.of("/mnt/a"));
    ImageRecord image = new ImageRecord("sha256:ab", List.of("docker.io/library/busybox:latest"),
        List.of(), List.of("sha512-cd"), 100, "0");

    try (Store store = Store.open(dir)) {
      store.putSandbox(sandbox);
      store.putContainer(container);
      store.putImage(image);
    }
    try (Store store = Store.open(dir)) {
      assertThat(store.sandboxes()).containsExactly(sandbox);
      assertThat(store.containers()).containsExactly(container);
      assertThat(store.images()).containsExactly(image);
    }
  }

  @Test
  void putReplacesAndDeleteRemoves() throws Exception {
    SandboxRecord sandbox = new SandboxRecord("s1", PodSandboxConfig.getDefaultInstance(), "",
        SandboxRecord.Phase.CREATING, null, null, 1L, 0L);
    try (Store store = Store.open(dir)) {
      store.putSandbox(sandbox);
      store.putSandbox(sandbox.withPhase(SandboxRecord.Phase.READY));

      assertThat(store.sandboxes()).extracting(SandboxRecord::phase)
          .containsExactly(SandboxRecord.Phase.READY);

      store.deleteSandbox("s1");

      assertThat(store.sandboxes()).isEmpty();
    }
  }
}
