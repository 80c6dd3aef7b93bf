package io.rktlet.container;

import io.rktlet.rkt.RktApp;
import io.rktlet.state.ContainerRecord;

/**
 * Turns rkt's record of an ended app into the CRI exit code and reason. systemd inside the pod
 * records a process killed by signal N as exit code N, indistinguishable from exit(N); when
 * rktlet itself sent the signal it knows which one it was and reports 128 + N like other
 * runtimes.
 */
final class AppExits {
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;

  private AppExits() {}

  /**
   * @param stopSignal the signal rktlet sent to stop the app, or 0 when the app ended on its
   *     own
   * @param killed true when rktlet killed the app's cgroup with SIGKILL
   */
  static ContainerRecord.Exit of(RktApp app, int stopSignal, boolean killed) {
    Integer recorded = app == null ? null : app.exitCode();
    if (recorded == null) {
      // A pod stopped with --force leaves its apps without an exit code.
      return new ContainerRecord.Exit(128 + SIGKILL, "Error",
          "rkt recorded no exit code; the pod was killed");
    }
    int code = recorded;
    if (killed && code == SIGKILL) {
      code = 128 + SIGKILL;
    } else if (stopSignal != 0 && code == stopSignal) {
      code = 128 + stopSignal;
    }
    return new ContainerRecord.Exit(code, code == 0 ? "Completed" : "Error", "");
  }

  /** Returns the app's finish time, or {@code fallbackNanos} when rkt recorded none. */
  static long finishedAt(RktApp app, long fallbackNanos) {
    if (app != null && app.finishedAtNanos() != null && app.finishedAtNanos() > 0) {
      return app.finishedAtNanos();
    }
    return fallbackNanos;
  }
}
