package io.rktlet.sandbox;

import io.rktlet.cri.v1.LinuxPodSandboxConfig;
import io.rktlet.errors.CriException;
import io.rktlet.security.SandboxSecurityPlanner;
import io.rktlet.security.SysctlApplier;
import io.rktlet.security.SysctlPlan;
import io.rktlet.util.Processes;
import java.io.IOException;

/**
 * Sysctls of a pod: checked before the pod starts, then set inside the pod's network and IPC
 * namespaces (rkt has no flag for them) after the pod is ready and before RunPodSandbox
 * returns.
 */
public final class PodSysctls {
  private final SandboxSecurityPlanner planner;
  private final SysctlApplier applier;

  public PodSysctls(SandboxSecurityPlanner planner, SysctlApplier applier) {
    this.planner = planner;
    this.applier = applier;
  }

  /** Checks the sandbox's security settings and sysctls; INVALID_ARGUMENT names the field. */
  SysctlPlan plan(LinuxPodSandboxConfig linux) {
    return planner.plan(linux).sysctls();
  }

  /**
   * Sets the sysctls in the namespaces of the pod's systemd, the child of the pod's process.
   * A process that shares rktlet's own namespace would change the host's values, so that is
   * refused instead.
   */
  void apply(String sandboxId, SysctlPlan plan, long podPid) throws IOException {
    if (plan.isEmpty()) {
      return;
    }
    long podInit = Processes.firstChild(podPid);
    if (podInit <= 0) {
      throw new IOException("cannot find the pod's systemd below its process " + podPid);
    }
    long self = ProcessHandle.current().pid();
    if (Processes.sameNamespace(podInit, self, "net")
        || Processes.sameNamespace(podInit, self, "ipc")) {
      throw CriException.failedPrecondition("sandbox " + sandboxId + " shares rktlet's own "
          + "network or IPC namespace, so its sysctls would change the host's; not set");
    }
    applier.apply(sandboxId, plan, podInit);
  }
}
