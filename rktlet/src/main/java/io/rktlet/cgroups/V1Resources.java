package io.rktlet.cgroups;

import io.rktlet.cri.v1.HugepageLimit;
import io.rktlet.cri.v1.LinuxContainerResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Maps CRI resources to cgroup v1 files, one controller directory per setting. */
final class V1Resources {
  private V1Resources() {}

  static void plan(CgroupDirs dirs, LinuxContainerResources resources,
      ResourceWriter.Plan plan) throws IOException {
    Path cpu = dirs.controller("cpu").orElse(null);
    if (resources.getCpuShares() > 0) {
      plan.write(cpu, "cpu.shares", Long.toString(resources.getCpuShares()), "cpu_shares",
          "no cpu controller");
    }
    if (resources.getCpuPeriod() > 0) {
      plan.write(cpu, "cpu.cfs_period_us", Long.toString(resources.getCpuPeriod()),
          "cpu_period", "no CFS bandwidth control");
    }
    if (resources.getCpuQuota() != 0) {
      long quota = resources.getCpuQuota() < 0 ? -1 : resources.getCpuQuota();
      plan.write(cpu, "cpu.cfs_quota_us", Long.toString(quota), "cpu_quota",
          "no CFS bandwidth control");
    }
    memory(dirs.controller("memory").orElse(null), resources, plan);
    Path cpuset = dirs.controller("cpuset").orElse(null);
    if (!resources.getCpusetCpus().isEmpty()) {
      plan.write(cpuset, "cpuset.cpus", resources.getCpusetCpus(), "cpuset_cpus",
          "no cpuset controller");
    }
    if (!resources.getCpusetMems().isEmpty()) {
      plan.write(cpuset, "cpuset.mems", resources.getCpusetMems(), "cpuset_mems",
          "no cpuset controller");
    }
    Path hugetlb = dirs.controller("hugetlb").orElse(null);
    for (int i = 0; i < resources.getHugepageLimitsCount(); i++) {
      HugepageLimit limit = resources.getHugepageLimits(i);
      plan.write(hugetlb, "hugetlb." + limit.getPageSize() + ".limit_in_bytes",
          Long.toUnsignedString(limit.getLimit()), "hugepage_limits[" + i + "]",
          "no hugetlb controller or no " + limit.getPageSize() + " pages");
    }
    if (resources.getUnifiedCount() > 0) {
      plan.unavailable("unified", "cgroup v2 files, but this cgroup uses v1");
    }
  }

  /**
   * Plans memory and memory+swap limits. The kernel refuses a memory limit above the current
   * memory+swap limit, so when the new memory limit is higher than that, memory+swap is written
   * first.
   */
  private static void memory(Path memory, LinuxContainerResources resources,
      ResourceWriter.Plan plan) throws IOException {
    long limit = resources.getMemoryLimitInBytes();
    long swap = resources.getMemorySwapLimitInBytes();
    boolean swapFirst = false;
    if (swap != 0 && limit != 0 && memory != null) {
      Path current = memory.resolve("memory.memsw.limit_in_bytes");
      swapFirst = limit == -1 || (Files.isRegularFile(current)
          && limit > Long.parseLong(Files.readString(current).strip()));
    }
    if (swap != 0 && swapFirst) {
      writeSwap(memory, swap, plan);
    }
    if (limit != 0) {
      plan.write(memory, "memory.limit_in_bytes", Long.toString(limit),
          "memory_limit_in_bytes", "no memory controller");
    }
    if (swap != 0 && !swapFirst) {
      writeSwap(memory, swap, plan);
    }
  }

  private static void writeSwap(Path memory, long swap, ResourceWriter.Plan plan) {
    plan.write(memory, "memory.memsw.limit_in_bytes", Long.toString(swap < 0 ? -1 : swap),
        "memory_swap_limit_in_bytes", "swap accounting is off (no memory.memsw files)");
  }
}
