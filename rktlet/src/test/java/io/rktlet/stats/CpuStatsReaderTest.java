package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.CgroupFixtures;
import io.rktlet.cri.v1.CpuUsage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuStatsReaderTest {
  private static final long NOW = 1_796_398_552_224_673_655L;

  private final CpuStatsReader reader = new CpuStatsReader(() -> NOW);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "v1 combined cpuacct | v1     | cpu,cpuacct | 3215000000",
      "hybrid cpuacct      | hybrid | cpuacct     | 3215000000",
  })
  void readsV1Cpuacct(String description, String fixture, String hierarchy, long expected)
      throws IOException {
    Path dir = CgroupFixtures.path(fixture).resolve(hierarchy).resolve(CgroupFixtures.POD);

    CpuUsage usage = reader.read(CgroupDirs.v1(Map.of("cpuacct", dir)));

    assertThat(usage.getUsageCoreNanoSeconds().getValue()).isEqualTo(expected);
    assertThat(usage.getTimestamp()).isEqualTo(NOW);
    assertThat(usage.hasUsageNanoCores()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "v2 pod                  | v2     | " + CgroupFixtures.POD + " | 211669000",
      "hybrid app in unified   | hybrid | " + CgroupFixtures.HYBRID_APP + " | 74668000",
  })
  void readsV2CpuStat(String description, String fixture, String cgroup, long expected)
      throws IOException {
    Path dir = CgroupFixtures.path(fixture).resolve(cgroup);

    CpuUsage usage = reader.read(CgroupDirs.v2(dir));

    assertThat(usage.getUsageCoreNanoSeconds().getValue()).isEqualTo(expected);
  }

  @Test
  void missingCpuacctIsNoSuchFile() {
    Path memory = CgroupFixtures.path("v1").resolve("memory").resolve(CgroupFixtures.POD);

    assertThatThrownBy(() -> reader.read(CgroupDirs.v1(Map.of("memory", memory))))
        .isInstanceOf(NoSuchFileException.class);
  }
}
