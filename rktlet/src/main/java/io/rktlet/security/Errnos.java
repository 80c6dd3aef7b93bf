package io.rktlet.security;

import java.util.Map;
import java.util.Optional;

/**
 * Symbolic names of errno numbers, because seccomp profiles give {@code errnoRet} as a number
 * and rkt accepts only a name. Numbers follow Linux's include/uapi/asm-generic/errno-base.h and
 * errno.h, which x86_64 and arm64 use.
 */
final class Errnos {
  static final String EPERM = "EPERM";
  static final int ENOSYS_NUMBER = 38;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"),
      Map.entry(4, "EINTR"), Map.entry(5, "EIO"), Map.entry(6, "ENXIO"),
      Map.entry(7, "E2BIG"), Map.entry(8, "ENOEXEC"), Map.entry(9, "EBADF"),
      Map.entry(10, "ECHILD"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
      Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(15, "ENOTBLK"),
      Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"), Map.entry(18, "EXDEV"),
      Map.entry(19, "ENODEV"), Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"),
      Map.entry(22, "EINVAL"), Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"),
      Map.entry(25, "ENOTTY"), Map.entry(26, "ETXTBSY"), Map.entry(27, "EFBIG"),
      Map.entry(28, "ENOSPC"), Map.entry(29, "ESPIPE"), Map.entry(30, "EROFS"),
      Map.entry(31, "EMLINK"), Map.entry(32, "EPIPE"), Map.entry(33, "EDOM"),
      Map.entry(34, "ERANGE"), Map.entry(35, "EDEADLK"), Map.entry(36, "ENAMETOOLONG"),
      Map.entry(37, "ENOLCK"), Map.entry(38, "ENOSYS"), Map.entry(39, "ENOTEMPTY"),
      Map.entry(40, "ELOOP"), Map.entry(93, "EPROTONOSUPPORT"), Map.entry(95, "EOPNOTSUPP"),
      Map.entry(97, "EAFNOSUPPORT"), Map.entry(111, "ECONNREFUSED"));

  private Errnos() {}

  /** Returns the name of an errno number, or empty when the number is not in this table. */
  static Optional<String> name(int number) {
    return Optional.ofNullable(NAMES.get(number));
  }
}
