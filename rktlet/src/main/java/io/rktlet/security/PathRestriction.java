package io.rktlet.security;

import java.util.Set;

/**
 * A masked or read-only path from the CRI's {@code masked_paths} and {@code readonly_paths}.
 *
 * <p>Paths inside /proc, /sys and /dev lie on file systems that rkt's stage1 mounts into the
 * app when it starts (prepare-app binds the pod's /proc recursively, /sys, and single device
 * nodes), so a bind made there under the app's root filesystem before {@code rkt app start} is
 * hidden underneath. {@link #onApiFilesystem()} marks them. The pod already restricts some of
 * them, listed in {@link #POD_MASKED} and {@link #POD_READ_ONLY}.
 *
 * @param containerPath absolute path inside the container
 */
public record PathRestriction(String containerPath, Kind kind) {
  /** Action taken on the path. */
  public enum Kind {
    /** Hide it: an empty read-only directory over a directory, /dev/null over anything else. */
    MASK,
    /** Bind it read-only onto itself. */
    READ_ONLY
  }

  /**
   * Paths every rkt app already finds masked: by systemd-nspawn 252 in the pod's /proc
   * (PROC_INACCESSIBLE_REG in src/nspawn/nspawn-mount.c), which prepare-app binds into each app
   * recursively, and by rkt 1.30.0's app unit ({@code InaccessiblePaths=} from
   * protectKernelHiddenPaths and protectKernelHiddenDirs in stage1/init/common/app.go).
   */
  public static final Set<String> POD_MASKED = Set.of(
      "/proc/kallsyms", "/proc/kcore", "/proc/keys", "/proc/sysrq-trigger", "/proc/timer_list",
      "/proc/config.gz", "/proc/sched_debug", "/proc/kmem", "/proc/mem", "/sys/firmware",
      "/sys/fs", "/sys/hypervisor", "/sys/module", "/sys/power");

  /**
   * Paths every rkt app already finds read-only: by systemd-nspawn 252 (/proc/sys without a
   * private network, and PROC_READ_ONLY entries) and by rkt 1.30.0's app unit
   * ({@code ReadOnlyPaths=} from protectKernelROPaths).
   */
  public static final Set<String> POD_READ_ONLY = Set.of(
      "/proc/sys", "/proc/acpi", "/proc/apm", "/proc/asound", "/proc/bus", "/proc/fs",
      "/proc/irq", "/proc/scsi", "/proc/sysrq-trigger", "/sys/block", "/sys/bus", "/sys/class",
      "/sys/dev", "/sys/devices", "/sys/kernel");

  private static final Set<String> API_FILESYSTEMS = Set.of("/proc", "/sys", "/dev");

  /** Returns whether the path is inside /proc, /sys or /dev (see the class comment). */
  public boolean onApiFilesystem() {
    for (String root : API_FILESYSTEMS) {
      if (containerPath.equals(root) || containerPath.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether the pod already applies at least this restriction to the path or to a
   * directory above it. A masked path counts as read-only too.
   */
  public boolean coveredByPod() {
    if (coveredBy(POD_MASKED)) {
      return true;
    }
    return kind == Kind.READ_ONLY && coveredBy(POD_READ_ONLY);
  }

  private boolean coveredBy(Set<String> paths) {
    for (String path : paths) {
      if (containerPath.equals(path) || containerPath.startsWith(path + "/")) {
        return true;
      }
    }
    return false;
  }
}
