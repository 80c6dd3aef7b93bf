package io.rktlet.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about host processes read from /proc. */
public final class Processes {
  private Processes() {}

  /**
   * Returns the first child of {@code pid}, for example the pod's systemd below
   * systemd-nspawn, or 0 when it has none or it cannot be read.
   */
  public static long firstChild(long pid) {
    if (pid <= 0) {
      return 0;
    }
    Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
    try {
      String text = Files.readString(children).strip();
      return text.isEmpty() ? 0 : Long.parseLong(text.split("\\s+")[0]);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /**
   * True while the process exists and has not exited. A zombie counts as exited: after a
   * restart of rktlet the pod process is not rktlet's child, and its parent may take a while
   * to reap it.
   */
  public static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  /** True when both processes are in the same namespace of the given kind ("net", "ipc"). */
  public static boolean sameNamespace(long pid, long otherPid, String kind) throws IOException {
    Path first = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", kind));
    Path second = Files.readSymbolicLink(Path.of("/proc", Long.toString(otherPid), "ns", kind));
    return first.equals(second);
  }
}
