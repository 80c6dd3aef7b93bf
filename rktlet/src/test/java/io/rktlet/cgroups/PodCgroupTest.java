package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cgroups.PodCgroupName.CgroupDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodCgroupTest {
  private static final String PARENT =
      "/kubepods/burstable/pod0c8a52d4-3b11-4d43-9a2a-6d9d3f0d1e21";
  private static final String NEW_ID =
      "aaaabbbbccccdddd0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String NEW_LEAF = PARENT.substring(1) + "/rktlet-aaaabbbbccccdddd";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "v1     | blkio cpu,cpuacct cpuset devices freezer hugetlb memory net_cls,net_prio"
          + " perf_event pids",
      "hybrid | blkio cpu cpuacct devices freezer memory net_cls,perf_event,net_prio pids",
      "v2     | .",
  })
  void procsFilesCoverResourceHierarchies(String fixture, String hierarchies)
      throws IOException {
    Path root = CgroupFixtures.path(fixture);
    PodCgroup pod = pod(root);

    List<Path> expected = new ArrayList<>();
    for (String hierarchy : hierarchies.split(" ")) {
      expected.add(root.resolve(hierarchy).normalize().resolve(NEW_LEAF)
          .resolve("cgroup.procs"));
    }
    assertThat(pod.procsFiles()).containsExactlyElementsOf(expected);
  }

  @Test
  void dirsMapControllersInV1() throws IOException {
    Path root = CgroupFixtures.path("v1");

    CgroupDirs dirs = pod(root).dirs();

    assertThat(dirs.isV2()).isFalse();
    assertThat(dirs.controller("cpu")).contains(root.resolve("cpu,cpuacct").resolve(NEW_LEAF));
    assertThat(dirs.controller("memory")).contains(root.resolve("memory").resolve(NEW_LEAF));
    assertThat(dirs.controller("systemd")).isEmpty();
  }

  @Test
  void createsV1DirectoriesWithCpusetValues() throws IOException {
    Path root = CgroupFixtures.copy("v1", dir);
    PodCgroup pod = pod(root);

    List<Path> created = pod.create();

    assertThat(created).hasSize(10);
    for (Path procs : pod.procsFiles()) {
      assertThat(procs.getParent()).isDirectory();
    }
    Path cpuset = root.resolve("cpuset").resolve(NEW_LEAF);
    assertThat(cpuset.resolve("cpuset.cpus")).hasContent("0-3");
    assertThat(cpuset.resolve("cpuset.mems")).hasContent("0");
  }

  @Test
  void createsMissingParentsInV1() throws IOException {
    Path root = CgroupFixtures.copy("hybrid", dir);
    PodCgroup pod = new PodCgroup(CgroupLayout.detect(root),
        PodCgroupName.forSandbox(CgroupDriver.CGROUPFS, "/kubepods/besteffort/pod77", NEW_ID));

    List<Path> created = pod.create();

    assertThat(created).contains(root.resolve("memory/kubepods/besteffort"),
        root.resolve("memory/kubepods/besteffort/pod77"),
        root.resolve("memory/kubepods/besteffort/pod77/rktlet-aaaabbbbccccdddd"));
    assertThat(root.resolve("unified/kubepods")).doesNotExist();
    assertThat(root.resolve("systemd/kubepods")).doesNotExist();
  }

  @Test
  void createsV2DirectoryAndEnablesControllers() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    Path kubepods = root.resolve("kubepods");
    Files.writeString(kubepods.resolve("cgroup.subtree_control"), "cpu memory\n");
    PodCgroup pod = pod(root);

    List<Path> created = pod.create();

    assertThat(created).containsExactly(root.resolve(NEW_LEAF));
    assertThat(kubepods.resolve("cgroup.subtree_control"))
        .hasContent("+cpuset +io +hugetlb +pids");
    assertThat(root.resolve("cgroup.subtree_control"))
        .hasContent("cpuset cpu io memory hugetlb pids");
  }

  @Test
  void createIsIdempotent() throws IOException {
    Path root = CgroupFixtures.copy("v1", dir);
    PodCgroup pod = pod(root);
    pod.create();

    assertThat(pod.create()).isEmpty();
  }

  @Test
  void removesTreeIncludingChildCgroups() throws IOException {
    Path root = CgroupFixtures.copy("hybrid", dir);
    PodCgroup pod = pod(root);
    pod.create();
    Files.createDirectories(root.resolve("memory").resolve(NEW_LEAF)
        .resolve("machine-rkt.scope/payload"));

    pod.remove();

    for (Path directory : pod.directories()) {
      assertThat(directory).doesNotExist();
      assertThat(directory.getParent()).isDirectory();
    }
  }

  @Test
  void removeOfMissingCgroupSucceeds() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);

    pod(root).remove();

    assertThat(root.resolve(NEW_LEAF)).doesNotExist();
  }

  @Test
  void removeReportsBusyDirectories() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    PodCgroup pod = pod(root);
    pod.create();
    // An extra file makes the directory impossible to remove, like the kernel's EBUSY.
    Files.writeString(root.resolve(NEW_LEAF).resolve("cgroup.procs"), "4242\n");

    assertThatThrownBy(pod::remove)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed to remove pod cgroup " + NEW_LEAF)
        .hasMessageContaining(root.resolve(NEW_LEAF).toString());
  }

  @Test
  void systemdDriverLeavesDirectoriesToSystemd() throws IOException {
    CgroupLayout layout = CgroupLayout.detect(CgroupFixtures.path("v2"));
    PodCgroup pod = new PodCgroup(layout,
        PodCgroupName.forSandbox(CgroupDriver.SYSTEMD, "kubepods-pod1.slice", NEW_ID));

    assertThat(pod.directories()).containsExactly(CgroupFixtures.path("v2")
        .resolve("kubepods.slice/kubepods-pod1.slice/rktlet-aaaabbbbccccdddd.scope"));
    assertThatThrownBy(pod::create).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("systemd manages it");
  }

  private static PodCgroup pod(Path root) throws IOException {
    return new PodCgroup(CgroupLayout.detect(root),
        PodCgroupName.forSandbox(CgroupDriver.CGROUPFS, PARENT, NEW_ID));
  }
}
