package io.rktlet.state;

import io.rktlet.cri.v1.PodSandboxConfig;

/**
 * rktlet's record of one pod sandbox: the request as the kubelet sent it plus what rkt made of
 * it. Instances are immutable; changes produce a new record through the {@code with} methods.
 *
 * @param id 64 lowercase hex characters
 * @param phase where the sandbox is in its life; CREATING and REMOVING mark an intent that was
 *     recorded before rkt was asked to act, so a restart can finish or undo it
 * @param rktUuid UUID of the rkt pod, null until rkt has written it
 * @param ip the pod's IPv4 address, null for host networking or before it is known
 * @param createdAtNanos Unix nanoseconds
 * @param podPid PID of the pod's process (systemd-nspawn), 0 when unknown
 */
public record SandboxRecord(
    String id,
    PodSandboxConfig config,
    String runtimeHandler,
    Phase phase,
    String rktUuid,
    String ip,
    long createdAtNanos,
    long podPid) {

  /** Life of a sandbox as rktlet tracks it. */
  public enum Phase {
    CREATING,
    READY,
    NOTREADY,
    REMOVING
  }

  public SandboxRecord withPhase(Phase newPhase) {
    return new SandboxRecord(id, config, runtimeHandler, newPhase, rktUuid, ip, createdAtNanos,
        podPid);
  }

  public SandboxRecord withPod(String newRktUuid, String newIp, long newPodPid) {
    return new SandboxRecord(id, config, runtimeHandler, phase, newRktUuid, newIp,
        createdAtNanos, newPodPid);
  }

  /** Returns the sandbox name the kubelet uses in its logs: name_namespace_uid_attempt. */
  public String fullName() {
    return config.getMetadata().getName() + "_" + config.getMetadata().getNamespace() + "_"
        + config.getMetadata().getUid() + "_" + config.getMetadata().getAttempt();
  }

  public boolean isHostNetwork() {
    return config.getLinux().getSecurityContext().getNamespaceOptions().getNetworkValue()
        == io.rktlet.cri.v1.NamespaceMode.NODE_VALUE;
  }
}
