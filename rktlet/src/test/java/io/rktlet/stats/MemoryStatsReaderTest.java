package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.CgroupFixtures;
import io.rktlet.cri.v1.MemoryUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryStatsReaderTest {
  private static final long NOW = 42L;

  @TempDir Path dir;

  private final MemoryStatsReader reader = new MemoryStatsReader(() -> NOW);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // fixture, usage, working set, rss, page faults, major faults, available
      "v1,     59531264, 56459264, 45056000, 33000, 14, 44204032",
      "hybrid, 59531264, 56459264, 45056000, 33000, 14, 44204032",
      "v2,     59531264, 56459264, 45060096, 33000, 14, 44204032",
  })
  void readsPodCgroup(String fixture, long usage, long workingSet, long rss, long faults,
      long majorFaults, long available) throws IOException {
    MemoryUsage memory = reader.read(dirs(CgroupFixtures.path(fixture), fixture));

    assertThat(memory.getTimestamp()).isEqualTo(NOW);
    assertThat(memory.getUsageBytes().getValue()).isEqualTo(usage);
    assertThat(memory.getWorkingSetBytes().getValue()).isEqualTo(workingSet);
    assertThat(memory.getRssBytes().getValue()).isEqualTo(rss);
    assertThat(memory.getPageFaults().getValue()).isEqualTo(faults);
    assertThat(memory.getMajorPageFaults().getValue()).isEqualTo(majorFaults);
    assertThat(memory.getAvailableBytes().getValue()).isEqualTo(available);
  }

  @Test
  void noAvailableBytesWithoutV2Limit() throws IOException {
    Path pod = CgroupFixtures.path("v2").resolve(CgroupFixtures.SPARSE_V2_POD);

    MemoryUsage memory = reader.read(CgroupDirs.v2(pod));

    assertThat(memory.hasAvailableBytes()).isFalse();
    assertThat(memory.getUsageBytes().getValue()).isZero();
  }

  @Test
  void noAvailableBytesWithoutV1Limit() throws IOException {
    Path root = io.rktlet.cgroups.CgroupFixtures.copy("v1", dir);
    Path memoryDir = root.resolve("memory").resolve(CgroupFixtures.POD);
    Files.writeString(memoryDir.resolve("memory.limit_in_bytes"), "9223372036854771712\n");

    MemoryUsage memory = reader.read(CgroupDirs.v1(Map.of("memory", memoryDir)));

    assertThat(memory.hasAvailableBytes()).isFalse();
  }

  @Test
  void workingSetNeverNegative() throws IOException {
    Path pod = Files.createDirectories(dir.resolve("pod"));
    Files.writeString(pod.resolve("memory.current"), "1000\n");
    Files.writeString(pod.resolve("memory.stat"), "anon 10\ninactive_file 5000\n");
    Files.writeString(pod.resolve("memory.max"), "4096\n");

    MemoryUsage memory = reader.read(CgroupDirs.v2(pod));

    assertThat(memory.getWorkingSetBytes().getValue()).isZero();
    assertThat(memory.getAvailableBytes().getValue()).isEqualTo(4096);
  }

  private static CgroupDirs dirs(Path root, String fixture) {
    if (fixture.equals("v2")) {
      return CgroupDirs.v2(root.resolve(CgroupFixtures.POD));
    }
    return CgroupDirs.v1(Map.of("memory", root.resolve("memory").resolve(CgroupFixtures.POD)));
  }
}
