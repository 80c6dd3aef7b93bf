package io.rktlet.cgroups;

import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.errors.CriException;
import io.rktlet.validation.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a CRI {@code LinuxContainerResources} into a pod's or app's cgroup files, for cgroup
 * v1 and v2. Zero means "leave unchanged" for every number, as in the CRI, and
 * {@code oom_score_adj} is no cgroup setting (rkt's {@code --oom-score-adj} sets it).
 *
 * <p>Every field is checked before anything is written: a field whose controller or file the
 * cgroup lacks (for example hugepage limits without the hugetlb controller, swap without swap
 * accounting, or {@code unified} on cgroup v1) fails the whole call with INVALID_ARGUMENT
 * listing those fields, so UpdateContainerResources fails cleanly.
 */
public final class ResourceWriter {
  private static final Logger log = LoggerFactory.getLogger(ResourceWriter.class);

  /** The CFS period the kernel and runc use when a quota comes without one, in µs. */
  static final long DEFAULT_CPU_PERIOD_US = 100_000;

  private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
  private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]*(KB|MB|GB|TB|PB)");
  private static final Pattern UNIFIED_KEY = Pattern.compile("[a-z0-9_]+\\.[a-z0-9_.]+");
  private static final Set<String> FORBIDDEN_UNIFIED_KEYS = Set.of("cgroup.procs",
      "cgroup.threads", "cgroup.kill", "cgroup.subtree_control", "cgroup.type",
      "cgroup.freeze");

  /** One value for one control file. */
  public record FileWrite(Path file, String value) {}

  private ResourceWriter() {}

  /**
   * Checks the resources and writes them.
   *
   * @param fieldPrefix request path of the message, such as {@code config.linux.resources} or
   *     {@code linux} in UpdateContainerResources
   * @throws CriException INVALID_ARGUMENT for malformed values or fields this cgroup cannot
   *     apply, before any file is written
   * @throws IOException when a write fails; earlier writes of the call stay in effect
   */
  public static List<FileWrite> apply(CgroupDirs dirs, LinuxContainerResources resources,
      String fieldPrefix) throws IOException {
    List<FileWrite> writes = plan(dirs, resources, fieldPrefix);
    for (FileWrite write : writes) {
      try {
        Files.writeString(write.file(), write.value(), StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        throw new IOException("failed to write " + write.value() + " to " + write.file()
            + ": " + e.getMessage(), e);
      }
    }
    log.debug("Wrote {} cgroup files: {}", writes.size(), writes);
    return writes;
  }

  /**
   * Returns the writes {@link #apply} makes, in order, without writing.
   *
   * @throws CriException as {@link #apply} does
   */
  public static List<FileWrite> plan(CgroupDirs dirs, LinuxContainerResources resources,
      String fieldPrefix) throws IOException {
    validate(resources, fieldPrefix);
    Plan plan = new Plan(fieldPrefix);
    if (dirs.isV2()) {
      V2Resources.plan(dirs.v2(), resources, plan);
    } else {
      V1Resources.plan(dirs, resources, plan);
    }
    if (!plan.inapplicable.isEmpty()) {
      throw CriException.invalidArgument("cannot apply " + String.join(", ", plan.inapplicable)
          + (dirs.isV2() ? " to cgroup " + dirs.v2() : " to this host's cgroup v1 hierarchies")
          + "; leave these fields unset");
    }
    return plan.writes;
  }

  private static void validate(LinuxContainerResources resources, String prefix) {
    if (resources.getCpuPeriod() < 0) {
      throw Check.invalid(prefix + ".cpu_period", resources.getCpuPeriod(), "negative");
    }
    if (resources.getCpuShares() < 0) {
      throw Check.invalid(prefix + ".cpu_shares", resources.getCpuShares(), "negative");
    }
    if (resources.getMemoryLimitInBytes() < -1) {
      throw Check.invalid(prefix + ".memory_limit_in_bytes",
          resources.getMemoryLimitInBytes(), "must be positive, 0 (unchanged) or -1 (no limit)");
    }
    cpuList(resources.getCpusetCpus(), prefix + ".cpuset_cpus");
    cpuList(resources.getCpusetMems(), prefix + ".cpuset_mems");
    for (int i = 0; i < resources.getHugepageLimitsCount(); i++) {
      String pageSize = resources.getHugepageLimits(i).getPageSize();
      if (!PAGE_SIZE.matcher(pageSize).matches()) {
        throw Check.invalid(prefix + ".hugepage_limits[" + i + "].page_size", pageSize,
            "expected a size such as 2MB or 1GB");
      }
    }
    for (Map.Entry<String, String> entry : resources.getUnifiedMap().entrySet()) {
      String key = entry.getKey();
      if (!UNIFIED_KEY.matcher(key).matches() || FORBIDDEN_UNIFIED_KEYS.contains(key)) {
        throw Check.invalid(prefix + ".unified", key, "not a cgroup v2 resource file name");
      }
      if (entry.getValue().chars().anyMatch(c -> c == '\n' || c == 0)) {
        throw Check.invalid(prefix + ".unified[" + Check.quote(key) + "]", entry.getValue(),
            "contains a newline or NUL");
      }
    }
  }

  private static void cpuList(String value, String field) {
    if (!value.isEmpty() && !CPU_LIST.matcher(value).matches()) {
      throw Check.invalid(field, value, "expected a list such as 0-3,8");
    }
  }

  /** Writes collected so far and the fields the cgroup cannot apply. */
  static final class Plan {
    final String prefix;
    final List<FileWrite> writes = new ArrayList<>();
    final List<String> inapplicable = new ArrayList<>();

    Plan(String prefix) {
      this.prefix = prefix;
    }

    /** Adds a write when {@code dir} has {@code file}, or records {@code field} otherwise. */
    void write(Path dir, String file, String value, String field, String missing) {
      if (dir != null && Files.isRegularFile(dir.resolve(file))) {
        writes.add(new FileWrite(dir.resolve(file), value));
      } else {
        inapplicable.add(prefix + "." + field + " (" + missing + ")");
      }
    }

    void unavailable(String field, String reason) {
      inapplicable.add(prefix + "." + field + " (" + reason + ")");
    }
  }

  /** Returns the unified map sorted by key, so writes happen in a stable order. */
  static Map<String, String> sorted(Map<String, String> unified) {
    return new TreeMap<>(unified);
  }
}
