package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
  @TempDir Path dir;

  @Test
  void detectsV1WithCombinedCpu() throws IOException {
    Path root = CgroupFixtures.path("v1");

    CgroupLayout layout = CgroupLayout.detect(root);

    assertThat(layout.version()).isEqualTo(CgroupLayout.Version.V1);
    assertThat(layout.v1Hierarchy("cpu")).contains(root.resolve("cpu,cpuacct"));
    assertThat(layout.v1Hierarchy("cpuacct")).contains(root.resolve("cpu,cpuacct"));
    assertThat(layout.v1Hierarchy("net_prio")).contains(root.resolve("net_cls,net_prio"));
    assertThat(layout.v1Hierarchy("systemd")).contains(root.resolve("systemd"));
    assertThat(layout.unified()).isEmpty();
    assertThat(layout.v1ResourceHierarchies()).hasSize(10)
        .doesNotContain(root.resolve("systemd"));
  }

  @Test
  void detectsHybridWithMissingControllers() throws IOException {
    Path root = CgroupFixtures.path("hybrid");

    CgroupLayout layout = CgroupLayout.detect(root);

    assertThat(layout.version()).isEqualTo(CgroupLayout.Version.HYBRID);
    assertThat(layout.unified()).contains(root.resolve("unified"));
    assertThat(layout.v2Controllers()).isEmpty();
    assertThat(layout.v1Hierarchy("cpu")).contains(root.resolve("cpu"));
    assertThat(layout.v1Hierarchy("cpuacct")).contains(root.resolve("cpuacct"));
    assertThat(layout.v1Hierarchy("cpuset")).isEmpty();
    assertThat(layout.v1Hierarchy("hugetlb")).isEmpty();
    assertThat(layout.v1Hierarchy("unified")).isEmpty();
  }

  @Test
  void detectsV2() throws IOException {
    Path root = CgroupFixtures.path("v2");

    CgroupLayout layout = CgroupLayout.detect(root);

    assertThat(layout.version()).isEqualTo(CgroupLayout.Version.V2);
    assertThat(layout.unified()).contains(root);
    assertThat(layout.v2Controllers())
        .containsExactly("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc");
    assertThat(layout.v1Hierarchies()).isEmpty();
  }

  @Test
  void followsControllerSymlinks() throws IOException {
    Path combined = Files.createDirectories(dir.resolve("cpu,cpuacct"));
    Files.writeString(combined.resolve("cgroup.procs"), "");
    Path memory = Files.createDirectories(dir.resolve("memory"));
    Files.writeString(memory.resolve("cgroup.procs"), "");
    Files.createSymbolicLink(dir.resolve("cpu"), Path.of("cpu,cpuacct"));
    Files.createSymbolicLink(dir.resolve("cpuacct"), Path.of("cpu,cpuacct"));

    CgroupLayout layout = CgroupLayout.detect(dir);

    assertThat(layout.v1Hierarchy("cpu")).contains(combined);
    assertThat(layout.v1ResourceHierarchies()).containsExactly(combined, memory);
  }

  @Test
  void ignoresDirectoriesThatAreNoHierarchy() throws IOException {
    Files.createDirectories(dir.resolve("rdma"));
    Path pids = Files.createDirectories(dir.resolve("pids"));
    Files.writeString(pids.resolve("cgroup.procs"), "");

    CgroupLayout layout = CgroupLayout.detect(dir);

    assertThat(layout.v1Hierarchies()).containsOnlyKeys("pids");
  }

  @Test
  void emptyRootIsAnError() {
    assertThatThrownBy(() -> CgroupLayout.detect(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no cgroup hierarchy found under " + dir);
  }
}
