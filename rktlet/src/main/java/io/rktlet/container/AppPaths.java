package io.rktlet.container;

import java.nio.file.Path;

/** Host paths of a rkt app: its root filesystem and its cgroups. */
public final class AppPaths {
  private final Path rktDataDir;
  private final Path cgroupRoot;

  public AppPaths(Path rktDataDir, Path cgroupRoot) {
    this.rktDataDir = rktDataDir;
    this.cgroupRoot = cgroupRoot;
  }

  /**
   * Returns the app's root filesystem as the host sees it. It exists from {@code rkt app add}
   * on, and because the data directory is a shared mount, bind mounts made there reach the pod.
   */
  public Path rootfs(String podUuid, String appName) {
    return rktDataDir.resolve("pods/run").resolve(podUuid)
        .resolve("stage1/rootfs/opt/stage2").resolve(appName).resolve("rootfs");
  }

  /**
   * Returns the app's cgroup directory in the given hierarchy ({@code unified} for cgroup v2
   * in a hybrid layout, {@code systemd} for the named v1 hierarchy). systemd writes the
   * {@code -} of the pod UUID as {@code \x2d} in the scope's name.
   */
  public Path appCgroup(String hierarchy, String podUuid, String appName) {
    return podCgroup(hierarchy, podUuid).resolve("payload/system.slice")
        .resolve(appName + ".service");
  }

  /** Returns the pod's machine scope in the given hierarchy. */
  public Path podCgroup(String hierarchy, String podUuid) {
    String scope = "machine-rkt\\x2d" + podUuid.replace("-", "\\x2d") + ".scope";
    Path base = hierarchy.isEmpty() ? cgroupRoot : cgroupRoot.resolve(hierarchy);
    return base.resolve(scope);
  }
}
