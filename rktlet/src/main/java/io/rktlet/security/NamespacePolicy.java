package io.rktlet.security;

import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.NamespaceOption;
import io.rktlet.validation.Check;

/**
 * Checks namespace options against what a rkt app sandbox pod provides: one network namespace
 * (its own, or the host's with {@code --net=host}), one PID namespace and one IPC namespace for
 * every app of the pod, and no user namespace.
 *
 * <p>PID mode CONTAINER, which the kubelet sends for every pod without shareProcessNamespace,
 * is accepted although rkt gives the whole pod one PID namespace: containers of a pod see and
 * can signal each other's processes (as with shareProcessNamespace: true), and the container's
 * first process is not PID 1. rkt has no option for a PID namespace per app. The supervisor
 * could create one only with CAP_SYS_ADMIN and a fresh /proc in a new mount namespace, which
 * would lose the masks systemd-nspawn and rkt put on the pod's /proc, so it does not.
 */
public final class NamespacePolicy {
  private NamespacePolicy() {}

  /**
   * Checks a container's or a sandbox's namespace options.
   *
   * @param prefix request path of the options, such as
   *     {@code config.linux.security_context.namespace_options}
   * @return true when the network namespace is the host's (mode NODE)
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for NODE or TARGET PID mode, an IPC
   *     namespace other than the pod's, or a user namespace with ID mappings
   */
  public static boolean check(NamespaceOption options, String prefix) {
    NamespaceMode network = options.getNetwork();
    if (network != NamespaceMode.POD && network != NamespaceMode.NODE) {
      throw Check.invalid(prefix + ".network", network,
          "a rkt pod's network namespace is either its own (POD) or the host's (NODE)");
    }
    NamespaceMode pid = options.getPid();
    if (pid == NamespaceMode.NODE) {
      throw Check.invalid(prefix + ".pid", pid,
          "rkt app sandbox always gives a pod its own PID namespace");
    }
    if (pid == NamespaceMode.TARGET) {
      throw Check.invalid(prefix + ".pid", pid + " (target_id " + options.getTargetId() + ")",
          "rkt cannot put a container into another container's PID namespace");
    }
    if (pid != NamespaceMode.POD && pid != NamespaceMode.CONTAINER) {
      throw Check.invalid(prefix + ".pid", options.getPidValue(), "unknown namespace mode");
    }
    NamespaceMode ipc = options.getIpc();
    if (ipc != NamespaceMode.POD) {
      throw Check.invalid(prefix + ".ipc", ipc,
          "rkt app sandbox gives every app of a pod the pod's own IPC namespace");
    }
    if (options.hasUsernsOptions() && options.getUsernsOptions().getMode() != NamespaceMode.NODE
        && (options.getUsernsOptions().getUidsCount() > 0
            || options.getUsernsOptions().getGidsCount() > 0)) {
      throw Check.invalid(prefix + ".userns_options.mode", options.getUsernsOptions().getMode(),
          "rkt app sandbox does not support user namespaces");
    }
    return network == NamespaceMode.NODE;
  }
}
