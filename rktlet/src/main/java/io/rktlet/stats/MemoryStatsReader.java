package io.rktlet.stats;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.KeyValueFile;
import io.rktlet.cri.v1.MemoryUsage;
import io.rktlet.cri.v1.UInt64Value;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a cgroup's memory figures as the CRI's {@code MemoryUsage} defines them.
 *
 * <ul>
 *   <li>usage: {@code memory.current} (v2) or {@code memory.usage_in_bytes} (v1);
 *   <li>working set: usage minus inactive file cache ({@code inactive_file}, v1
 *       {@code total_inactive_file}), at least 0;
 *   <li>RSS: anonymous memory plus swap cache ({@code anon} and {@code swapcached}, v1
 *       {@code total_rss}, which includes transparent huge pages);
 *   <li>page faults: {@code pgfault} and {@code pgmajfault} (v1 {@code total_} variants);
 *   <li>available: the limit ({@code memory.max}, v1 {@code memory.limit_in_bytes}) minus the
 *       working set, only when a limit is set.
 * </ul>
 */
public final class MemoryStatsReader {
  /** v1 reports "no limit" as a huge page-rounded number; anything above 2^62 counts as none. */
  static final long V1_UNLIMITED_THRESHOLD = 1L << 62;

  private final NanoClock clock;

  public MemoryStatsReader(NanoClock clock) {
    this.clock = clock;
  }

  /**
   * Returns the cgroup's memory usage.
   *
   * @throws NoSuchFileException when the cgroup or its memory files do not exist
   * @throws IOException when a file cannot be read or parsed
   */
  public MemoryUsage read(CgroupDirs dirs) throws IOException {
    long timestamp = clock.nowNanos();
    return dirs.isV2() ? readV2(dirs.v2(), timestamp) : readV1(dirs, timestamp);
  }

  private static MemoryUsage readV2(Path dir, long timestamp) throws IOException {
    long usage = CpuStatsReader.parseUnsigned(dir.resolve("memory.current"));
    KeyValueFile stat = KeyValueFile.read(dir.resolve("memory.stat"));
    long rss = stat.valueOrZero("anon") + stat.valueOrZero("swapcached");
    OptionalLong limit = limitV2(dir.resolve("memory.max"));
    return usage(timestamp, usage, workingSet(usage, stat.valueOrZero("inactive_file")), rss,
        stat.valueOrZero("pgfault"), stat.valueOrZero("pgmajfault"), limit);
  }

  private static MemoryUsage readV1(CgroupDirs dirs, long timestamp) throws IOException {
    Path dir = dirs.controller("memory").orElseThrow(
        () -> new NoSuchFileException("memory", null, "no memory controller for the cgroup"));
    long usage = CpuStatsReader.parseUnsigned(dir.resolve("memory.usage_in_bytes"));
    KeyValueFile stat = KeyValueFile.read(dir.resolve("memory.stat"));
    long limit = CpuStatsReader.parseUnsigned(dir.resolve("memory.limit_in_bytes"));
    OptionalLong setLimit = Long.compareUnsigned(limit, V1_UNLIMITED_THRESHOLD) >= 0
        ? OptionalLong.empty() : OptionalLong.of(limit);
    return usage(timestamp, usage,
        workingSet(usage, stat.valueOrZero("total_inactive_file")),
        stat.valueOrZero("total_rss"), stat.valueOrZero("total_pgfault"),
        stat.valueOrZero("total_pgmajfault"), setLimit);
  }

  private static OptionalLong limitV2(Path file) throws IOException {
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    String text = Files.readString(file).strip();
    return text.equals("max") ? OptionalLong.empty()
        : OptionalLong.of(CpuStatsReader.parseUnsigned(file));
  }

  private static long workingSet(long usage, long inactiveFile) {
    return Math.max(0, usage - inactiveFile);
  }

  static MemoryUsage usage(long timestamp, long usage, long workingSet, long rss,
      long pageFaults, long majorPageFaults, OptionalLong limit) {
    MemoryUsage.Builder builder = MemoryUsage.newBuilder()
        .setTimestamp(timestamp)
        .setUsageBytes(value(usage))
        .setWorkingSetBytes(value(workingSet))
        .setRssBytes(value(rss))
        .setPageFaults(value(pageFaults))
        .setMajorPageFaults(value(majorPageFaults));
    if (limit.isPresent()) {
      builder.setAvailableBytes(value(Math.max(0, limit.getAsLong() - workingSet)));
    }
    return builder.build();
  }

  static UInt64Value value(long value) {
    return UInt64Value.newBuilder().setValue(value).build();
  }
}
