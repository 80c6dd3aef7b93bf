package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.CgroupFixtures;
import io.rktlet.cri.v1.ContainerAttributes;
import io.rktlet.cri.v1.ContainerStats;
import io.rktlet.cri.v1.LinuxPodSandboxStats;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStatsReaderTest {
  private static final NanoClock CLOCK = () -> 5L;

  @TempDir Path dir;

  @Test
  void assemblesContainerStats() throws IOException {
    Path app = CgroupFixtures.path("hybrid").resolve(CgroupFixtures.HYBRID_APP);
    Path upper = Files.createDirectories(dir.resolve("upper"));
    ContainerAttributes attributes = ContainerAttributes.newBuilder().setId("c1").build();

    ContainerStats stats = reader().container(attributes, app, upper);

    assertThat(stats.getAttributes().getId()).isEqualTo("c1");
    assertThat(stats.getCpu().getUsageCoreNanoSeconds().getValue()).isEqualTo(74_668_000L);
    assertThat(stats.getMemory().getUsageBytes().getValue()).isEqualTo(7_340_032L);
    assertThat(stats.getWritableLayer().getInodesUsed().getValue()).isEqualTo(1);
  }

  @Test
  void leavesOutMissingSources() throws IOException {
    ContainerStats stats = reader().container(ContainerAttributes.getDefaultInstance(),
        dir.resolve("no-cgroup"), dir.resolve("no-upper"));

    assertThat(stats.hasCpu()).isFalse();
    assertThat(stats.hasMemory()).isFalse();
    assertThat(stats.hasWritableLayer()).isFalse();
  }

  @Test
  void assemblesPodStats() throws IOException {
    CgroupDirs pod = CgroupDirs.v2(CgroupFixtures.path("v2").resolve(CgroupFixtures.POD));
    ContainerStats container = ContainerStats.newBuilder()
        .setAttributes(ContainerAttributes.newBuilder().setId("c1")).build();

    LinuxPodSandboxStats stats = reader().pod(pod, List.of(container));

    assertThat(stats.getCpu().getUsageCoreNanoSeconds().getValue()).isEqualTo(211_669_000L);
    assertThat(stats.getMemory().getWorkingSetBytes().getValue()).isEqualTo(56_459_264L);
    assertThat(stats.getContainersList()).containsExactly(container);
  }

  private ContainerStatsReader reader() throws IOException {
    Path mountinfo = Files.writeString(dir.resolve("mountinfo"),
        "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
    return new ContainerStatsReader(new CpuStatsReader(CLOCK), new MemoryStatsReader(CLOCK),
        new ProcessMemoryReader(CgroupFixtures.path("proc"), 4096, CLOCK),
        new FilesystemUsageReader(mountinfo, CLOCK));
  }
}
