package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.config.CgroupDriver;
import io.rktlet.cri.v1.LinuxPodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.errors.CriException;
import io.rktlet.state.SandboxRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pod cgroups on a cgroup v2 tree built in a temporary directory. */
class PodCgroupsTest {
  private static final String SANDBOX_ID =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;

  private static SandboxRecord sandbox(String cgroupParent) {
    PodSandboxConfig config = PodSandboxConfig.newBuilder()
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent))
        .build();
    return new SandboxRecord(SANDBOX_ID, config, "", SandboxRecord.Phase.CREATING, null, null,
        1L, 0L);
  }

  private PodCgroups cgroups() throws Exception {
    Files.writeString(dir.resolve("cgroup.controllers"), "cpu memory pids\n");
    return new PodCgroups(CgroupLayout.detect(dir), CgroupDriver.CGROUPFS);
  }

  @Test
  void invalidParentIsRejectedWithoutLayout() {
    PodCgroups noHierarchy = new PodCgroups(null, CgroupDriver.CGROUPFS);

    assertThatThrownBy(() -> noHierarchy.of(sandbox("kubepods.slice")))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("config.linux.cgroup_parent");
  }

  @Test
  void removeToleratesInvalidParent() throws Exception {
    PodCgroups cgroups = cgroups();

    cgroups.remove(sandbox("kubepods.slice"));

    assertThat(dir.resolve("cgroup.controllers")).exists();
  }

  @Test
  void removeDeletesTheCreatedCgroup() throws Exception {
    PodCgroups cgroups = cgroups();
    SandboxRecord record = sandbox("/kubepods");
    Path podDir = Files.createDirectories(cgroups.of(record).orElseThrow().dirs().v2());

    cgroups.remove(record);

    assertThat(podDir).doesNotExist();
  }
}
