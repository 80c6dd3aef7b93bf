package io.rktlet.config;

/** Which launcher parents {@code rkt app sandbox}. */
public enum LauncherKind {
  /** systemd-run when systemd is PID 1, detached otherwise. */
  AUTO,
  /** A transient systemd unit started with systemd-run. */
  SYSTEMD,
  /** A child of rktlet in its own session, which outlives rktlet. */
  DETACHED;

  public static LauncherKind parse(String text) {
    return Enums.parse(LauncherKind.class, "sandbox launcher", text);
  }
}
