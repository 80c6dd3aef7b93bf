package io.rktlet.cgroups;

import io.rktlet.cri.v1.HugepageLimit;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.validation.Check;
import java.nio.file.Path;
import java.util.Map;

/** Maps CRI resources to cgroup v2 files of one directory. */
final class V2Resources {
  private static final double LN2 = Math.log(2);

  private V2Resources() {}

  static void plan(Path dir, LinuxContainerResources resources, ResourceWriter.Plan plan) {
    cpu(dir, resources, plan);
    long memory = resources.getMemoryLimitInBytes();
    if (memory != 0) {
      plan.write(dir, "memory.max", memory < 0 ? "max" : Long.toString(memory),
          "memory_limit_in_bytes", "memory controller not enabled");
    }
    if (resources.getMemorySwapLimitInBytes() != 0) {
      plan.write(dir, "memory.swap.max", swapMax(memory, resources.getMemorySwapLimitInBytes(),
          plan.prefix), "memory_swap_limit_in_bytes", "no swap accounting (no memory.swap.max)");
    }
    if (!resources.getCpusetCpus().isEmpty()) {
      plan.write(dir, "cpuset.cpus", resources.getCpusetCpus(), "cpuset_cpus",
          "cpuset controller not enabled");
    }
    if (!resources.getCpusetMems().isEmpty()) {
      plan.write(dir, "cpuset.mems", resources.getCpusetMems(), "cpuset_mems",
          "cpuset controller not enabled");
    }
    for (int i = 0; i < resources.getHugepageLimitsCount(); i++) {
      HugepageLimit limit = resources.getHugepageLimits(i);
      plan.write(dir, "hugetlb." + limit.getPageSize() + ".max",
          Long.toUnsignedString(limit.getLimit()), "hugepage_limits[" + i + "]",
          "hugetlb controller not enabled or no " + limit.getPageSize() + " pages");
    }
    // Last, so that a raw value overrides the typed fields, as in runc.
    for (Map.Entry<String, String> entry : ResourceWriter.sorted(resources.getUnifiedMap())
        .entrySet()) {
      plan.write(dir, entry.getKey(), entry.getValue(),
          "unified[" + Check.quote(entry.getKey()) + "]", "no such file in this cgroup");
    }
  }

  private static void cpu(Path dir, LinuxContainerResources resources,
      ResourceWriter.Plan plan) {
    if (resources.getCpuShares() > 0) {
      plan.write(dir, "cpu.weight", Long.toString(cpuWeight(resources.getCpuShares())),
          "cpu_shares", "cpu controller not enabled");
    }
    if (resources.getCpuQuota() != 0 || resources.getCpuPeriod() != 0) {
      long period = resources.getCpuPeriod() > 0
          ? resources.getCpuPeriod() : ResourceWriter.DEFAULT_CPU_PERIOD_US;
      String quota = resources.getCpuQuota() > 0 ? Long.toString(resources.getCpuQuota()) : "max";
      String field = resources.getCpuQuota() != 0 ? "cpu_quota" : "cpu_period";
      plan.write(dir, "cpu.max", quota + " " + period, field, "cpu controller not enabled");
    }
  }

  /**
   * Converts v1 CPU shares (2 to 262144, default 1024) to a v2 weight (1 to 10000, default
   * 100) with the quadratic fit of opencontainers/cgroups' ConvertCPUSharesToCgroupV2Value,
   * which maps 2, 1024 and 262144 to 1, 100 and 10000. The older linear formula in runc mapped
   * 1024 to 39.
   */
  static long cpuWeight(long shares) {
    if (shares <= 2) {
      return 1;
    }
    if (shares >= 262_144) {
      return 10_000;
    }
    double log2 = log2(shares);
    double exponent = (log2 * log2 + 125 * log2) / 612.0 - 7.0 / 34.0;
    return (long) Math.ceil(Math.pow(10, exponent));
  }

  /**
   * Returns log2 computed the way Go's math.Log2 does, which is exact for powers of two, so
   * the result matches opencontainers/cgroups at 1024 (exactly 2.0 as the exponent).
   */
  static double log2(long value) {
    double x = value;
    int exponent = Math.getExponent(x) + 1;
    double fraction = x / Math.scalb(1.0, exponent);
    if (fraction == 0.5) {
      return exponent - 1;
    }
    return Math.log(fraction) * (1 / LN2) + exponent;
  }

  /**
   * Converts the CRI's memory+swap limit to cgroup v2's swap-only {@code memory.swap.max}, as
   * runc does: -1 means no limit, otherwise swap = memory+swap minus memory.
   */
  private static String swapMax(long memory, long memoryAndSwap, String prefix) {
    if (memoryAndSwap < 0) {
      return "max";
    }
    if (memory <= 0) {
      throw Check.invalid(prefix + ".memory_swap_limit_in_bytes", memoryAndSwap,
          "a swap limit needs memory_limit_in_bytes in the same request");
    }
    if (memoryAndSwap < memory) {
      throw Check.invalid(prefix + ".memory_swap_limit_in_bytes", memoryAndSwap,
          "must not be less than memory_limit_in_bytes " + memory);
    }
    return Long.toString(memoryAndSwap - memory);
  }
}
