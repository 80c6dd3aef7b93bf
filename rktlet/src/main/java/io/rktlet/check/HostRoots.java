package io.rktlet.check;

import java.nio.file.Path;

/**
 * Locations of the host state that the checks read, replaceable so that tests can point them
 * at a fixture host.
 *
 * @param proc the proc filesystem, normally {@code /proc}
 * @param cgroup mount point of the cgroup hierarchies, normally {@code /sys/fs/cgroup}
 * @param runSystemd systemd's runtime directory, normally {@code /run/systemd}; its
 *     {@code system} subdirectory exists only when systemd is PID 1, see sd_booted(3)
 * @param stage1Images rkt's stage1 images directory, which {@code dir:} stage1 images name a
 *     file in
 */
public record HostRoots(Path proc, Path cgroup, Path runSystemd, Path stage1Images) {

  /**
   * rkt's stage1 images directory as built into the rkt v1.30.0 release binaries.
   *
   * <p>NOTE: distributions may build rkt with another directory; this one is rkt's default.
   */
  static final Path RKT_STAGE1_IMAGES = Path.of("/usr/lib/rkt/stage1-images");

  /** Returns the running host's locations, with rktlet's configured cgroup mount point. */
  public static HostRoots system(Path cgroupRoot) {
    return new HostRoots(Path.of("/proc"), cgroupRoot, Path.of("/run/systemd"),
        RKT_STAGE1_IMAGES);
  }

  /** True when systemd is PID 1, tested the way sd_booted(3) does. */
  boolean systemdIsInit() {
    return java.nio.file.Files.isDirectory(runSystemd.resolve("system"));
  }
}
