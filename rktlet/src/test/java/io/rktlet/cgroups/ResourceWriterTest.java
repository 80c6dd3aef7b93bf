package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.HugepageLimit;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.errors.CriException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceWriterTest {
  private static final String FIELD = "linux";

  @TempDir Path dir;

  @ParameterizedTest(name = "v1: {0}")
  @CsvSource(delimiter = '|', value = {
      "shares             | cpu_shares=512                  | cpu,cpuacct/cpu.shares | 512",
      "quota and period   | cpu_quota=25000 cpu_period=50000 | cpu,cpuacct/cpu.cfs_quota_us"
          + " | 25000",
      "period             | cpu_quota=25000 cpu_period=50000 | cpu,cpuacct/cpu.cfs_period_us"
          + " | 50000",
      "unlimited quota    | cpu_quota=-5                    | cpu,cpuacct/cpu.cfs_quota_us | -1",
      "memory limit       | memory=33554432                 | memory/memory.limit_in_bytes"
          + " | 33554432",
      "memory unlimited   | memory=-1                       | memory/memory.limit_in_bytes | -1",
      "memory and swap    | memory=33554432 swap=67108864   | memory/memory.memsw.limit_in_bytes"
          + " | 67108864",
      "cpuset cpus        | cpus=0-1,3                      | cpuset/cpuset.cpus | 0-1,3",
      "cpuset mems        | mems=0                          | cpuset/cpuset.mems | 0",
      "hugepages          | hugepages=2MB:4194304           | hugetlb/hugetlb.2MB.limit_in_bytes"
          + " | 4194304",
  })
  void writesV1Files(String description, String request, String file, String value)
      throws IOException {
    Path root = CgroupFixtures.copy("v1", dir);

    ResourceWriter.apply(v1Dirs(root), resources(request), FIELD);

    assertThat(pod(root, file)).hasContent(value);
  }

  @ParameterizedTest(name = "v2: {0}")
  @CsvSource(delimiter = '|', value = {
      "default shares       | cpu_shares=1024               | cpu.weight      | 100",
      "low shares           | cpu_shares=2                  | cpu.weight      | 1",
      "quota and period     | cpu_quota=25000 cpu_period=50000 | cpu.max       | 25000 50000",
      "quota default period | cpu_quota=150000              | cpu.max         | 150000 100000",
      "unlimited quota      | cpu_quota=-1 cpu_period=20000 | cpu.max         | max 20000",
      "memory               | memory=33554432               | memory.max      | 33554432",
      "memory unlimited     | memory=-1                     | memory.max      | max",
      "swap is the rest     | memory=33554432 swap=67108864 | memory.swap.max | 33554432",
      "no swap              | memory=33554432 swap=33554432 | memory.swap.max | 0",
      "unlimited swap       | memory=33554432 swap=-1       | memory.swap.max | max",
      "cpuset               | cpus=2-3                      | cpuset.cpus     | 2-3",
      "hugepages            | hugepages=1GB:1073741824      | hugetlb.1GB.max | 1073741824",
      "unified              | unified=pids.max:64           | pids.max        | 64",
      "unified wins         | memory=1000 unified=memory.max:2000 | memory.max | 2000",
  })
  void writesV2Files(String description, String request, String file, String value)
      throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);

    ResourceWriter.apply(CgroupDirs.v2(root.resolve(CgroupFixtures.POD)), resources(request),
        FIELD);

    assertThat(root.resolve(CgroupFixtures.POD).resolve(file)).hasContent(value);
  }

  @ParameterizedTest(name = "shares {0} -> weight {1}")
  @CsvSource({"2, 1", "3, 2", "102, 17", "512, 59", "1024, 100", "2048, 174", "262144, 10000",
      "1000000, 10000"})
  void convertsSharesToWeight(long shares, long weight) {
    assertThat(V2Resources.cpuWeight(shares)).isEqualTo(weight);
  }

  @Test
  void zeroLeavesEverythingUnchanged() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);

    assertThat(ResourceWriter.apply(CgroupDirs.v2(root.resolve(CgroupFixtures.POD)),
        LinuxContainerResources.newBuilder().setOomScoreAdj(500).build(), FIELD)).isEmpty();
  }

  @Test
  void v1RaisingMemoryWritesSwapFirst() throws IOException {
    Path root = CgroupFixtures.copy("v1", dir);

    var writes = ResourceWriter.plan(v1Dirs(root), resources("memory=201326592 swap=268435456"),
        FIELD);

    assertThat(writes).extracting(write -> write.file().getFileName().toString())
        .containsExactly("memory.memsw.limit_in_bytes", "memory.limit_in_bytes");
  }

  @Test
  void v1LoweringMemoryWritesMemoryFirst() throws IOException {
    Path root = CgroupFixtures.copy("v1", dir);

    var writes = ResourceWriter.plan(v1Dirs(root), resources("memory=33554432 swap=33554432"),
        FIELD);

    assertThat(writes).extracting(write -> write.file().getFileName().toString())
        .containsExactly("memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
  }

  @Test
  void hybridListsEveryInapplicableField() throws IOException {
    Path root = CgroupFixtures.copy("hybrid", dir);
    CgroupDirs dirs = new PodCgroup(CgroupLayout.detect(root), name()).dirs();

    assertThatThrownBy(() -> ResourceWriter.apply(dirs,
        resources("memory=33554432 swap=67108864 cpus=0 hugepages=2MB:4194304 "
            + "unified=pids.max:10"), FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("linux.memory_swap_limit_in_bytes (swap accounting is off")
        .hasMessageContaining("linux.cpuset_cpus (no cpuset controller)")
        .hasMessageContaining("linux.hugepage_limits[0] (no hugetlb controller")
        .hasMessageContaining("linux.unified (cgroup v2 files, but this cgroup uses v1)");
    assertThat(pod(root, "memory/memory.limit_in_bytes")).hasContent("100663296");
  }

  @Test
  void v2SparseCgroupListsMissingControllers() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    CgroupDirs dirs = CgroupDirs.v2(root.resolve(CgroupFixtures.SPARSE_V2_POD));

    assertThatThrownBy(() -> ResourceWriter.apply(dirs,
        resources("cpu_shares=512 cpus=0 hugepages=2MB:4194304 unified=io.weight:50"), FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("linux.cpuset_cpus (cpuset controller not enabled)")
        .hasMessageContaining("linux.hugepage_limits[0] (hugetlb controller not enabled")
        .hasMessageContaining("linux.unified[\"io.weight\"] (no such file in this cgroup)")
        .hasMessageNotContaining("cpu_shares");
    assertThat(root.resolve(CgroupFixtures.SPARSE_V2_POD).resolve("cpu.weight"))
        .hasContent("100");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad cpuset list      | cpus=0-a                  | linux.cpuset_cpus",
      "bad page size        | hugepages=2M:1            | linux.hugepage_limits[0].page_size",
      "path in unified key  | unified=../cgroup.procs:1 | linux.unified",
      "procs in unified     | unified=cgroup.procs:1    | linux.unified",
      "negative period      | cpu_period=-1             | linux.cpu_period",
      "swap below memory    | memory=100 swap=50        | linux.memory_swap_limit_in_bytes",
      "swap without memory  | swap=50                   | linux.memory_swap_limit_in_bytes",
  })
  void rejectsInvalidValues(String description, String request, String field)
      throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);

    assertThatThrownBy(() -> ResourceWriter.apply(
        CgroupDirs.v2(root.resolve(CgroupFixtures.POD)), resources(request), FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + field);
  }

  private static CgroupDirs v1Dirs(Path root) throws IOException {
    return new PodCgroup(CgroupLayout.detect(root), name()).dirs();
  }

  private static PodCgroupName name() {
    return new PodCgroupName(CgroupFixtures.POD, PodCgroupName.CgroupDriver.CGROUPFS);
  }

  private static Path pod(Path root, String file) {
    int slash = file.indexOf('/');
    return root.resolve(file.substring(0, slash)).resolve(CgroupFixtures.POD)
        .resolve(file.substring(slash + 1));
  }

  /** Builds resources from {@code key=value} words, such as {@code cpu_shares=512}. */
  private static LinuxContainerResources resources(String request) {
    LinuxContainerResources.Builder builder = LinuxContainerResources.newBuilder();
    for (String word : request.split(" ")) {
      String[] parts = word.split("=", 2);
      switch (parts[0]) {
        case "cpu_shares" -> builder.setCpuShares(Long.parseLong(parts[1]));
        case "cpu_quota" -> builder.setCpuQuota(Long.parseLong(parts[1]));
        case "cpu_period" -> builder.setCpuPeriod(Long.parseLong(parts[1]));
        case "memory" -> builder.setMemoryLimitInBytes(Long.parseLong(parts[1]));
        case "swap" -> builder.setMemorySwapLimitInBytes(Long.parseLong(parts[1]));
        case "cpus" -> builder.setCpusetCpus(parts[1]);
        case "mems" -> builder.setCpusetMems(parts[1]);
        case "hugepages" -> {
          String[] limit = parts[1].split(":");
          builder.addHugepageLimits(HugepageLimit.newBuilder().setPageSize(limit[0])
              .setLimit(Long.parseLong(limit[1])));
        }
        case "unified" -> {
          String[] entry = parts[1].split(":");
          builder.putAllUnified(Map.of(entry[0], entry[1]));
        }
        default -> throw new IllegalArgumentException(word);
      }
    }
    return builder.build();
  }

  @Test
  void writesDoNotCreateFiles() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    Path pod = root.resolve(CgroupFixtures.SPARSE_V2_POD);
    long before;
    try (var files = Files.list(pod)) {
      before = files.count();
    }

    ResourceWriter.apply(CgroupDirs.v2(pod), resources("cpu_shares=512 memory=1048576"), FIELD);

    try (var files = Files.list(pod)) {
      assertThat(files.count()).isEqualTo(before);
    }
  }
}
