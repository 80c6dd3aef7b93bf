package io.rktlet.security;

import io.rktlet.cri.v1.LinuxPodSandboxConfig;
import io.rktlet.cri.v1.LinuxSandboxSecurityContext;

/**
 * Checks the Linux part of a RunPodSandbox request and plans its sysctls.
 *
 * <p>A rkt pod has no infrastructure container, so the sandbox's run_as_user, run_as_group,
 * supplemental groups, readonly_rootfs and seccomp settings apply to no process and are not
 * checked beyond their form; each container carries its own. Checked are the namespaces, the
 * sysctls, SELinux options, the AppArmor profile, and privileged, which is rejected for the
 * same reason as privileged containers (see {@link SecurityPlanner}).
 */
public final class SandboxSecurityPlanner {
  static final String PREFIX = "config.linux.security_context";

  private final CapabilityPlanner capabilityPlanner;
  private final LsmPolicy lsm;

  public SandboxSecurityPlanner(PodCapabilityBound podBound, LsmPolicy lsm) {
    this.capabilityPlanner = new CapabilityPlanner(podBound);
    this.lsm = lsm;
  }

  /**
   * The sandbox-level outcome.
   *
   * @param hostNetwork whether the pod uses the host's network namespace
   * @param sysctls the sysctls to set once the pod runs
   */
  public record SandboxSecurityPlan(boolean hostNetwork, SysctlPlan sysctls) {}

  /**
   * Checks {@code config.linux} of RunPodSandbox.
   *
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT naming the field rktlet cannot honour
   */
  public SandboxSecurityPlan plan(LinuxPodSandboxConfig linux) {
    LinuxSandboxSecurityContext context = linux.getSecurityContext();
    boolean hostNetwork = NamespacePolicy.check(context.getNamespaceOptions(),
        PREFIX + ".namespace_options");
    if (context.getPrivileged()) {
      capabilityPlanner.planPrivileged(PREFIX + ".privileged");
    }
    lsm.checkSelinux(context.hasSelinuxOptions(), context.getSelinuxOptions(), PREFIX);
    lsm.checkAppArmor(context.hasApparmor(), context.getApparmor(), "", PREFIX);
    SysctlPlan sysctls = SysctlPolicy.plan(linux.getSysctlsMap(), hostNetwork,
        "config.linux.sysctls");
    return new SandboxSecurityPlan(hostNetwork, sysctls);
  }
}
