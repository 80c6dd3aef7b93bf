package io.rktlet.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks that the checking process runs as root with {@code CAP_SYS_ADMIN}: rkt needs root to
 * run pods, and rktlet's bind mounts need the capability.
 */
final class PrivilegeCheck {
  private static final String NAME = "privileges";

  /** Bit of CAP_SYS_ADMIN in the capability sets, from linux/capability.h. */
  private static final int CAP_SYS_ADMIN = 21;

  private final Path statusFile;

  PrivilegeCheck(Path proc) {
    this.statusFile = proc.resolve("self/status");
  }

  CheckResult check(boolean manageMounts) {
    String status;
    try {
      status = Files.readString(statusFile);
    } catch (IOException e) {
      return CheckResult.warn(NAME, "cannot read " + statusFile + ": " + e.getMessage(), "");
    }
    // Uid: real, effective, saved and filesystem UID.
    Optional<String> uid = field(status, "Uid")
        .map(value -> value.split("\\s+"))
        .filter(uids -> uids.length >= 2)
        .map(uids -> uids[1]);
    Optional<String> capEff = field(status, "CapEff").filter(hex -> hex.matches("[0-9a-f]{1,16}"));
    if (uid.isEmpty() || capEff.isEmpty()) {
      return CheckResult.warn(NAME, statusFile + " has no Uid or CapEff line", "");
    }
    if (!uid.get().equals("0")) {
      return CheckResult.fail(NAME, "running as uid " + uid.get() + ", but rkt needs root to "
          + "run pods", "run rktlet as root");
    }
    boolean sysAdmin = (Long.parseUnsignedLong(capEff.get(), 16) & (1L << CAP_SYS_ADMIN)) != 0;
    if (sysAdmin) {
      return CheckResult.ok(NAME, "root with CAP_SYS_ADMIN");
    }
    String finding = "root without CAP_SYS_ADMIN, which mounting needs";
    String remedy = "run rktlet on the host, not in a container without that capability";
    return manageMounts ? CheckResult.fail(NAME, finding, remedy)
        : CheckResult.warn(NAME, finding, remedy);
  }

  /** Returns the value of a {@code Name:\tvalue} line of /proc/PID/status. */
  private static Optional<String> field(String status, String name) {
    return status.lines()
        .filter(line -> line.startsWith(name + ":"))
        .map(line -> line.substring(name.length() + 1).strip())
        .findFirst();
  }
}
