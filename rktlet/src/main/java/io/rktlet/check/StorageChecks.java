package io.rktlet.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Checks free disk space where rkt and rktlet keep their data, and the socket's directory. */
final class StorageChecks {
  /** Below this much free space a check warns: one image pull can take hundreds of MiB. */
  static final long WARN_BELOW_BYTES = 1L << 30;

  /** Below this much free space a check fails: pods and the state database soon stop. */
  static final long FAIL_BELOW_BYTES = 100L << 20;

  /** Longest UNIX socket path: sun_path has room for 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  private final DiskSpace diskSpace;

  StorageChecks(DiskSpace diskSpace) {
    this.diskSpace = diskSpace;
  }

  /** Checks the free space of the filesystem that contains {@code dir}, or will contain it. */
  CheckResult freeSpace(String name, Path dir) {
    Path existing = nearestExisting(dir);
    long usable;
    try {
      usable = diskSpace.usableBytes(existing);
    } catch (IOException e) {
      return CheckResult.warn(name, "cannot read the free space of " + existing + ": "
          + e.getMessage(), "");
    }
    String finding = formatBytes(usable) + " free for " + dir;
    String remedy = "free space on the filesystem of " + existing + ", or move " + dir;
    if (usable < FAIL_BELOW_BYTES) {
      return CheckResult.fail(name, finding + ", less than " + formatBytes(FAIL_BELOW_BYTES),
          remedy);
    }
    if (usable < WARN_BELOW_BYTES) {
      return CheckResult.warn(name, finding + ", less than " + formatBytes(WARN_BELOW_BYTES),
          remedy);
    }
    return CheckResult.ok(name, finding);
  }

  /** Checks that rktlet can create the socket: a short enough path in a writable directory. */
  CheckResult socketDirectory(Path socket) {
    String name = "socket-dir";
    Path absolute = socket.toAbsolutePath();
    int length = absolute.toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_SOCKET_PATH_BYTES) {
      return CheckResult.fail(name, "socket path " + absolute + " is " + length + " bytes long, "
          + "more than the " + MAX_SOCKET_PATH_BYTES + " that UNIX sockets allow",
          "set --socket to a shorter path");
    }
    Path dir = absolute.getParent();
    Path existing = nearestExisting(dir);
    if (!Files.isDirectory(existing)) {
      return CheckResult.fail(name, existing + " is not a directory",
          "set --socket to a path in a directory");
    }
    if (!Files.isWritable(existing)) {
      return CheckResult.fail(name, existing + " is not writable",
          "run rktlet as root, or set --socket to a path in a writable directory");
    }
    if (!existing.equals(dir)) {
      return CheckResult.ok(name, dir + " does not exist yet, and rktlet creates it in "
          + existing);
    }
    return CheckResult.ok(name, dir + " is writable");
  }

  private static Path nearestExisting(Path path) {
    Path current = path.toAbsolutePath();
    while (current.getParent() != null && !Files.exists(current)) {
      current = current.getParent();
    }
    return current;
  }

  /** Formats a byte count in binary units, for example {@code 1.5 GiB} or {@code 100 MiB}. */
  static String formatBytes(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%d %s", (long) value, units[unit]);
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
