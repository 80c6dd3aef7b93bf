package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cgroups.CgroupFixtures;
import io.rktlet.cri.v1.MemoryUsage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessMemoryReaderTest {
  private static final Path PROC = CgroupFixtures.path("proc");

  private final ProcessMemoryReader reader = new ProcessMemoryReader(PROC, 4096, () -> 7L);

  @Test
  void sumsProcessesOfAppCgroup() throws IOException {
    Path app = CgroupFixtures.path("hybrid").resolve(CgroupFixtures.HYBRID_APP);

    MemoryUsage memory = reader.readCgroup(app);

    // 26102 from smaps_rollup: Rss 5120 kB, Pss 2048 kB, Anonymous 1024 kB.
    // 3977 from statm: 512 resident pages, 256 shared, 4096-byte pages.
    assertThat(memory.getUsageBytes().getValue()).isEqualTo(5_242_880L + 2_097_152L);
    assertThat(memory.getWorkingSetBytes().getValue()).isEqualTo(2_097_152L + 2_097_152L);
    assertThat(memory.getRssBytes().getValue()).isEqualTo(1_048_576L + 1_048_576L);
    assertThat(memory.getPageFaults().getValue()).isEqualTo(1500 + 700);
    assertThat(memory.getMajorPageFaults().getValue()).isEqualTo(4 + 2);
    assertThat(memory.hasAvailableBytes()).isFalse();
    assertThat(memory.getTimestamp()).isEqualTo(7L);
  }

  @Test
  void skipsExitedProcesses() throws IOException {
    MemoryUsage memory = reader.read(List.of(999_999L, 3977L));

    assertThat(memory.getUsageBytes().getValue()).isEqualTo(2_097_152L);
  }

  @Test
  void emptyCgroupHasZeroes() throws IOException {
    MemoryUsage memory = reader.read(List.of());

    assertThat(memory.getUsageBytes().getValue()).isZero();
    assertThat(memory.getWorkingSetBytes().getValue()).isZero();
  }

  @Test
  void missingCgroupIsNoSuchFile() {
    assertThatThrownBy(() -> reader.readCgroup(PROC.resolve("no-such-cgroup")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @ParameterizedTest(name = "pid {0}")
  @CsvSource({"26102, 1500, 4", "3977, 700, 2"})
  void parsesFaultsAfterCommandName(String pid, long minor, long major) throws IOException {
    long[] faults = ProcessMemoryReader.faults(PROC.resolve(pid).resolve("stat"));

    assertThat(faults[0]).isEqualTo(minor);
    assertThat(faults[1]).isEqualTo(major);
  }
}
