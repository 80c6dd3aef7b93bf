package io.rktlet.security;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A seccomp filter in the two forms rkt can express: an allow list ({@code retain}), where
 * every other system call fails with {@code errno}, or a deny list ({@code remove}), where the
 * listed calls fail with {@code errno}. rkt turns either into systemd's
 * {@code SystemCallFilter=} and {@code SystemCallErrorNumber=} for the app's unit
 * (stage1/init/common/seccomp.go in rkt 1.30.0), so one errno applies to every denied call.
 *
 * @param mode what the list means; {@link Mode#UNCONFINED} has an empty list and no errno
 * @param syscalls system call names, sorted
 * @param errno symbolic errno for denied calls, such as {@code EPERM}; null only when
 *     unconfined. rktlet always sets one, because without it systemd kills the process
 */
public record SeccompFilter(Mode mode, SortedSet<String> syscalls, String errno) {
  /** Meaning of a filter's list. */
  public enum Mode {
    /** No filter: every system call is allowed. */
    UNCONFINED,
    /** Only the listed system calls are allowed. */
    RETAIN,
    /** Every system call but the listed ones is allowed. */
    REMOVE
  }

  /** rkt's wildcard for every system call; {@code mode=retain} with it installs no filter. */
  static final String RKT_ALL = "@appc.io/all";

  private static final Pattern SYSCALL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern ERRNO_NAME = Pattern.compile("E[A-Z0-9]+");

  public SeccompFilter {
    Objects.requireNonNull(mode, "mode");
    syscalls = Collections.unmodifiableSortedSet(new TreeSet<>(syscalls));
    for (String syscall : syscalls) {
      if (!SYSCALL_NAME.matcher(syscall).matches()) {
        throw new IllegalArgumentException("invalid system call name: " + syscall);
      }
    }
    if (mode == Mode.UNCONFINED) {
      if (!syscalls.isEmpty() || errno != null) {
        throw new IllegalArgumentException("an unconfined filter has no list and no errno");
      }
    } else if (errno == null || !ERRNO_NAME.matcher(errno).matches()) {
      throw new IllegalArgumentException("invalid errno name for a seccomp filter: " + errno);
    }
  }

  public static SeccompFilter unconfined() {
    return new SeccompFilter(Mode.UNCONFINED, new TreeSet<>(), null);
  }

  public static SeccompFilter retain(Set<String> syscalls, String errno) {
    return new SeccompFilter(Mode.RETAIN, new TreeSet<>(syscalls), errno);
  }

  /** Returns a deny list, or {@link #unconfined()} when it would deny nothing. */
  public static SeccompFilter remove(Set<String> syscalls, String errno) {
    if (syscalls.isEmpty()) {
      return unconfined();
    }
    return new SeccompFilter(Mode.REMOVE, new TreeSet<>(syscalls), errno);
  }

  /**
   * Returns this filter widened so that the supervisor can run under it: an allow list gains
   * {@code needed}, a deny list loses them. rkt applies its filter to the whole app, the
   * supervisor included. A deny list left empty becomes {@link #unconfined()}.
   */
  public SeccompFilter admitting(Set<String> needed) {
    SortedSet<String> widened = new TreeSet<>(syscalls);
    switch (mode) {
      case RETAIN:
        widened.addAll(needed);
        return new SeccompFilter(mode, widened, errno);
      case REMOVE:
        widened.removeAll(needed);
        return remove(widened, errno);
      default:
        return this;
    }
  }

  /**
   * Returns the value of {@code rkt app add --seccomp=}: {@code mode=retain,@appc.io/all} when
   * unconfined (rkt's own default filter kills glibc programs that start threads, so it is
   * never left in place), otherwise {@code mode=retain|remove,NAME,...,errno=ERRNO}.
   */
  public String rktValue() {
    if (mode == Mode.UNCONFINED) {
      return "mode=retain," + RKT_ALL;
    }
    String modeName = mode == Mode.RETAIN ? "retain" : "remove";
    return "mode=" + modeName + "," + String.join(",", syscalls) + ",errno=" + errno;
  }

  /**
   * Returns the value of the supervisor's {@code seccomp=} line:
   * {@code retain:NAME,...;errno=ERRNO} or {@code remove:NAME,...;errno=ERRNO}, or null when
   * unconfined (the line is left out and the supervisor installs no filter).
   */
  public String supervisorValue() {
    if (mode == Mode.UNCONFINED) {
      return null;
    }
    String modeName = mode == Mode.RETAIN ? "retain" : "remove";
    return modeName + ":" + String.join(",", syscalls) + ";errno=" + errno;
  }
}
