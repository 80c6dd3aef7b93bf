package io.rktlet.check;

import io.rktlet.config.CgroupDriver;
import io.rktlet.config.LauncherKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks the cgroup layout (v1, hybrid or v2) and whether the configured cgroup driver and
 * sandbox launcher fit the host's init system.
 */
final class CgroupChecks {
  /** Arrangement of the cgroup hierarchies on the host. */
  enum Layout {
    /** One cgroup2 hierarchy at the cgroup root. */
    V2,
    /** cgroup v1 controllers plus a cgroup2 hierarchy at {@code unified/}, as systemd mounts it. */
    HYBRID,
    /** cgroup v1 controllers only. */
    V1,
    /** No cgroup hierarchy found. */
    NONE
  }

  private final HostRoots roots;

  CgroupChecks(HostRoots roots) {
    this.roots = roots;
  }

  /** Tells the layout from the files that each kind of hierarchy has at its root. */
  Layout layout() {
    Path root = roots.cgroup();
    if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
      return Layout.V2;
    }
    boolean v1 = Files.isRegularFile(root.resolve("memory/cgroup.procs"))
        || Files.isRegularFile(root.resolve("cpu/cgroup.procs"))
        || Files.isRegularFile(root.resolve("systemd/cgroup.procs"));
    if (Files.isRegularFile(root.resolve("unified/cgroup.controllers"))) {
      return Layout.HYBRID;
    }
    return v1 ? Layout.V1 : Layout.NONE;
  }

  CheckResult layoutCheck() {
    String name = "cgroup-layout";
    Path root = roots.cgroup();
    Layout layout = layout();
    String finding = switch (layout) {
      case V2 -> "cgroup v2 at " + root;
      case HYBRID -> "cgroup v1 with cgroup v2 at " + root.resolve("unified") + " (hybrid)";
      case V1 -> "cgroup v1 only at " + root;
      case NONE -> "no cgroup hierarchy at " + root;
    };
    if (layout == Layout.NONE) {
      return CheckResult.fail(name, finding,
          "mount cgroup2 at " + root + ", or set cgroup_root to where the hierarchies are");
    }
    if (!hasMemoryController(layout)) {
      return CheckResult.warn(name, finding + ", without the memory controller, so pod memory "
          + "limits and OOM detection do not work", "enable the memory controller (kernel "
          + "option cgroup_enable=memory)");
    }
    if (layout == Layout.V1) {
      return CheckResult.warn(name, finding + ", without cgroup.kill, so rktlet kills a "
          + "stopped app's processes one PID at a time",
          "boot with systemd.unified_cgroup_hierarchy=1 for cgroup v2");
    }
    return CheckResult.ok(name, finding);
  }

  private boolean hasMemoryController(Layout layout) {
    Path root = roots.cgroup();
    if (layout == Layout.V2) {
      try {
        String controllers = Files.readString(root.resolve("cgroup.controllers"));
        return Arrays.asList(controllers.strip().split("\\s+")).contains("memory");
      } catch (IOException e) {
        return false;
      }
    }
    return Files.isDirectory(root.resolve("memory"));
  }

  /** Checks the driver against PID 1: the systemd driver needs systemd to manage cgroups. */
  CheckResult driverCheck(CgroupDriver driver) {
    String name = "cgroup-driver";
    String init = initName();
    if (driver == CgroupDriver.SYSTEMD) {
      if (roots.systemdIsInit()) {
        return CheckResult.ok(name, "systemd, and systemd is PID 1");
      }
      return CheckResult.fail(name, "systemd, but PID 1 is " + init + ", not systemd",
          "set cgroup_driver = \"cgroupfs\" here and --cgroup-driver=cgroupfs in the kubelet");
    }
    if (roots.systemdIsInit()) {
      return CheckResult.warn(name, "cgroupfs, but systemd is PID 1 and also manages cgroups",
          "set cgroup_driver = \"systemd\" here and --cgroup-driver=systemd in the kubelet, "
              + "as Kubernetes recommends on systemd hosts");
    }
    return CheckResult.ok(name, "cgroupfs, and PID 1 is " + init + ", not systemd");
  }

  /** Checks that a systemd launcher, when configured, has systemd to talk to. */
  CheckResult launcherCheck(LauncherKind launcher) {
    String name = "sandbox-launcher";
    boolean systemd = roots.systemdIsInit();
    return switch (launcher) {
      case AUTO -> CheckResult.ok(name, "auto, which selects "
          + (systemd ? "systemd (systemd-run)" : "detached") + " on this host");
      case DETACHED -> CheckResult.ok(name, "detached");
      case SYSTEMD -> systemd ? CheckResult.ok(name, "systemd, and systemd is PID 1")
          : CheckResult.fail(name, "systemd, but PID 1 is " + initName() + ", not systemd",
              "set sandbox_launcher = \"auto\" or \"detached\"");
    };
  }

  /** Returns PID 1's command name from {@code /proc/1/comm}, or "unknown". */
  private String initName() {
    try {
      String comm = Files.readString(roots.proc().resolve("1/comm")).strip();
      return comm.isEmpty() ? "unknown" : comm;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
