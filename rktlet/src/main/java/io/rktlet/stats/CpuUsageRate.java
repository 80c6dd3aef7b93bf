package io.rktlet.stats;

import io.rktlet.cri.v1.CpuUsage;
import io.rktlet.cri.v1.UInt64Value;
import java.util.HashMap;
import java.util.Map;

/**
 * Adds {@code usage_nano_cores} (CPU nanoseconds per second, averaged since the previous
 * sample of the same container or pod) to CPU samples. The first sample of a key has none.
 */
public final class CpuUsageRate {
  private record Sample(long timestampNanos, long usageNanos) {}

  private final Map<String, Sample> previous = new HashMap<>();

  /**
   * Returns {@code sample} with {@code usage_nano_cores} set when an earlier sample of
   * {@code key} exists and time and usage went forward since, and remembers {@code sample}.
   */
  public synchronized CpuUsage withRate(String key, CpuUsage sample) {
    long usage = sample.getUsageCoreNanoSeconds().getValue();
    Sample last = previous.put(key, new Sample(sample.getTimestamp(), usage));
    if (last == null) {
      return sample;
    }
    long elapsed = sample.getTimestamp() - last.timestampNanos();
    long used = usage - last.usageNanos();
    if (elapsed <= 0 || used < 0) {
      return sample;
    }
    long nanoCores = (long) ((double) used / elapsed * 1_000_000_000L);
    return sample.toBuilder().setUsageNanoCores(UInt64Value.newBuilder().setValue(nanoCores))
        .build();
  }

  /** Forgets the samples of a removed container or pod. */
  public synchronized void forget(String key) {
    previous.remove(key);
  }
}
