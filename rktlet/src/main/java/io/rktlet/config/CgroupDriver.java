package io.rktlet.config;

/** How pod cgroups are named and created, matching the kubelet's --cgroup-driver. */
public enum CgroupDriver {
  CGROUPFS,
  SYSTEMD;

  public static CgroupDriver parse(String text) {
    return Enums.parse(CgroupDriver.class, "cgroup driver", text);
  }
}
