package io.rktlet.stats;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.KeyValueFile;
import io.rktlet.cri.v1.CpuUsage;
import io.rktlet.cri.v1.UInt64Value;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads cumulative CPU time of a cgroup: {@code usage_usec} of {@code cpu.stat} times 1000 on
 * cgroup v2 (every cgroup2 directory has it, with or without the cpu controller, so it also
 * works for rkt's per-app units on a hybrid host), or {@code cpuacct.usage} (nanoseconds) of the
 * v1 cpuacct controller.
 */
public final class CpuStatsReader {
  private final NanoClock clock;

  public CpuStatsReader(NanoClock clock) {
    this.clock = clock;
  }

  /**
   * Returns the usage with {@code usage_core_nano_seconds} and the sample time set; see
   * {@link CpuUsageRate} for {@code usage_nano_cores}.
   *
   * @throws NoSuchFileException when the cgroup or its CPU accounting file does not exist
   * @throws IOException when the file cannot be read or parsed
   */
  public CpuUsage read(CgroupDirs dirs) throws IOException {
    long timestamp = clock.nowNanos();
    long usageNanos;
    if (dirs.isV2()) {
      Path stat = dirs.v2().resolve("cpu.stat");
      long micros = KeyValueFile.read(stat).value("usage_usec").orElseThrow(
          () -> new IOException("no usage_usec in " + stat));
      usageNanos = Math.multiplyExact(micros, 1000L);
    } else {
      Path cpuacct = dirs.controller("cpuacct").orElseThrow(
          () -> new NoSuchFileException("cpuacct", null, "no cpuacct controller for the cgroup"));
      usageNanos = parseUnsigned(cpuacct.resolve("cpuacct.usage"));
    }
    return CpuUsage.newBuilder()
        .setTimestamp(timestamp)
        .setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(usageNanos))
        .build();
  }

  static long parseUnsigned(Path file) throws IOException {
    String text = Files.readString(file).strip();
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("invalid number " + text + " in " + file, e);
    }
  }
}
