package io.rktlet.security;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * System calls that rktlet's supervisor makes while it runs inside an app, which rkt's
 * app-wide seccomp filter must therefore allow whatever the container's profile specifies. The
 * supervisor is a static C program that starts as root, switches its child to the container's
 * user and groups, drops capabilities, sets no_new_privs, execs the command, and relays output,
 * stdin, attach and signals through pipes, FIFOs and UNIX sockets.
 *
 * <p>This list is a contract with the supervisor's source: a call it makes that is missing here
 * fails with the profile's errno under an allow-list profile.
 */
public final class SupervisorSyscalls {
  /** The calls, by name as on x86_64, including those that glibc and musl start-up code make. */
  public static final Set<String> REQUIRED = Collections.unmodifiableSet(new TreeSet<>(Set.of(
      // process start-up of a static binary
      "arch_prctl", "brk", "mmap", "munmap", "mprotect", "set_tid_address", "set_robust_list",
      "rseq", "prlimit64", "getrandom", "uname", "readlink", "sigaltstack", "exit", "exit_group",
      // identity, capabilities and the filter of the child
      "setresuid", "setresgid", "setgroups", "setuid", "setgid", "capget", "capset", "prctl",
      "seccomp", "getuid", "geteuid", "getgid", "getegid", "getpid", "getppid", "gettid",
      // starting and reaping the command
      "clone", "clone3", "fork", "vfork", "execve", "wait4", "waitid", "kill", "tgkill",
      "setsid", "setpgid", "getpgid", "chdir", "umask",
      // signals
      "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "signalfd4",
      // files, pipes, FIFOs and terminals
      "read", "write", "readv", "writev", "openat", "open", "close", "close_range", "dup",
      "dup2", "dup3", "pipe", "pipe2", "fcntl", "ioctl", "fstat", "newfstatat", "statx",
      "lseek", "mknodat", "unlinkat", "mkdirat", "fchmod", "fchown", "fsync", "ftruncate",
      "getdents64",
      // sockets for stdin and attach
      "socket", "bind", "listen", "accept4", "connect", "sendmsg", "recvmsg", "shutdown",
      "setsockopt", "getsockopt",
      // waiting and time
      "poll", "ppoll", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "nanosleep",
      "clock_nanosleep", "clock_gettime", "gettimeofday", "restart_syscall")));

  private SupervisorSyscalls() {}
}
