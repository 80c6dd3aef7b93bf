package io.rktlet.security;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * rktlet's RuntimeDefault seccomp filter: a deny list modelled on Docker's default profile
 * (moby/moby profiles/seccomp/default.json, read at commit 00f3d18). That profile is an allow
 * list with rules that depend on arguments and capabilities, which rkt cannot express, so this
 * filter denies with EPERM, as Docker does:
 *
 * <ul>
 *   <li>the security-relevant calls Docker's profile leaves out of its allow list, and
 *   <li>the calls Docker allows only with a capability, unless the container has one of those
 *       capabilities.
 * </ul>
 *
 * <p>Differences from Docker's profile, because rkt's filter cannot test arguments and this one
 * is a deny list: clone, socket and personality are allowed with any argument (Docker refuses
 * namespace flags to clone without CAP_SYS_ADMIN, AF_VSOCK sockets, and unusual
 * personalities); system calls newer than this list are allowed; and clone3 is allowed because
 * clone is (Docker makes clone3 fail with ENOSYS so that glibc falls back to clone, which rkt
 * cannot express for one call). NOTE: so an unprivileged process can still create a user
 * namespace with clone(CLONE_NEWUSER), which Docker's profile prevents.
 */
public final class RuntimeDefaultSeccomp {
  /** Calls Docker's profile never allows on x86_64, whatever the capabilities. */
  static final Set<String> ALWAYS_DENIED = Set.of(
      "_sysctl", "add_key", "create_module", "get_kernel_syms", "kexec_file_load",
      "kexec_load", "keyctl", "migrate_pages", "move_pages", "nfsservctl", "pivot_root",
      "query_module", "request_key", "swapoff", "swapon", "sysfs", "uselib", "userfaultfd",
      "ustat", "vm86", "vm86old");

  /**
   * Calls Docker's profile allows only to containers with one of the listed capabilities. The
   * calls Docker allows unconditionally on kernels from 4.8 on (ptrace, process_vm_readv,
   * process_vm_writev) are not here.
   */
  static final Map<String, Set<Capability>> CAPABILITY_GATED = Map.ofEntries(
      Map.entry("acct", Set.of(Capability.SYS_PACCT)),
      Map.entry("bpf", Set.of(Capability.SYS_ADMIN, Capability.BPF)),
      Map.entry("chroot", Set.of(Capability.SYS_CHROOT)),
      Map.entry("clock_settime", Set.of(Capability.SYS_TIME)),
      Map.entry("delete_module", Set.of(Capability.SYS_MODULE)),
      Map.entry("fanotify_init", Set.of(Capability.SYS_ADMIN)),
      Map.entry("finit_module", Set.of(Capability.SYS_MODULE)),
      Map.entry("fsconfig", Set.of(Capability.SYS_ADMIN)),
      Map.entry("fsmount", Set.of(Capability.SYS_ADMIN)),
      Map.entry("fsopen", Set.of(Capability.SYS_ADMIN)),
      Map.entry("fspick", Set.of(Capability.SYS_ADMIN)),
      Map.entry("get_mempolicy", Set.of(Capability.SYS_NICE)),
      Map.entry("init_module", Set.of(Capability.SYS_MODULE)),
      Map.entry("ioperm", Set.of(Capability.SYS_RAWIO)),
      Map.entry("iopl", Set.of(Capability.SYS_RAWIO)),
      Map.entry("kcmp", Set.of(Capability.SYS_PTRACE)),
      Map.entry("lookup_dcookie", Set.of(Capability.SYS_ADMIN)),
      Map.entry("mbind", Set.of(Capability.SYS_NICE)),
      Map.entry("mount", Set.of(Capability.SYS_ADMIN)),
      Map.entry("mount_setattr", Set.of(Capability.SYS_ADMIN)),
      Map.entry("move_mount", Set.of(Capability.SYS_ADMIN)),
      Map.entry("open_by_handle_at", Set.of(Capability.DAC_READ_SEARCH)),
      Map.entry("open_tree", Set.of(Capability.SYS_ADMIN)),
      Map.entry("perf_event_open", Set.of(Capability.SYS_ADMIN, Capability.PERFMON)),
      Map.entry("pidfd_getfd", Set.of(Capability.SYS_PTRACE)),
      Map.entry("process_madvise", Set.of(Capability.SYS_PTRACE)),
      Map.entry("quotactl", Set.of(Capability.SYS_ADMIN)),
      Map.entry("quotactl_fd", Set.of(Capability.SYS_ADMIN)),
      Map.entry("reboot", Set.of(Capability.SYS_BOOT)),
      Map.entry("set_mempolicy", Set.of(Capability.SYS_NICE)),
      Map.entry("set_mempolicy_home_node", Set.of(Capability.SYS_NICE)),
      Map.entry("setdomainname", Set.of(Capability.SYS_ADMIN)),
      Map.entry("sethostname", Set.of(Capability.SYS_ADMIN)),
      Map.entry("setns", Set.of(Capability.SYS_ADMIN)),
      Map.entry("settimeofday", Set.of(Capability.SYS_TIME)),
      Map.entry("stime", Set.of(Capability.SYS_TIME)),
      Map.entry("syslog", Set.of(Capability.SYS_ADMIN, Capability.SYSLOG)),
      Map.entry("umount", Set.of(Capability.SYS_ADMIN)),
      Map.entry("umount2", Set.of(Capability.SYS_ADMIN)),
      Map.entry("unshare", Set.of(Capability.SYS_ADMIN)),
      Map.entry("vhangup", Set.of(Capability.SYS_TTY_CONFIG)));

  private RuntimeDefaultSeccomp() {}

  /** Returns the deny list for a container with the given final capability set. */
  public static SeccompFilter forCapabilities(Set<Capability> capabilities) {
    Set<String> denied = new TreeSet<>(ALWAYS_DENIED);
    for (Map.Entry<String, Set<Capability>> gated : CAPABILITY_GATED.entrySet()) {
      if (Collections.disjoint(gated.getValue(), capabilities)) {
        denied.add(gated.getKey());
      }
    }
    return SeccompFilter.remove(denied, Errnos.EPERM);
  }

  /** Returns every name this filter can deny, for tests and documentation. */
  static List<String> allNames() {
    Set<String> names = new TreeSet<>(ALWAYS_DENIED);
    names.addAll(CAPABILITY_GATED.keySet());
    return List.copyOf(names);
  }
}
