package io.rktlet.security;

import java.util.List;

/**
 * The checked sysctls of a pod, in name order; {@link SysctlApplier} sets them once the pod
 * runs. Build it with {@link SysctlPolicy#plan}.
 */
public record SysctlPlan(List<Sysctl> sysctls) {
  public SysctlPlan {
    sysctls = List.copyOf(sysctls);
  }

  public static SysctlPlan empty() {
    return new SysctlPlan(List.of());
  }

  public boolean isEmpty() {
    return sysctls.isEmpty();
  }
}
