package io.rktlet.host;

import io.rktlet.config.LauncherKind;
import io.rktlet.config.SystemdDetector;
import io.rktlet.process.ProcessRunner;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the sandbox launcher from the configured {@link LauncherKind}. */
public final class Launchers {
  private static final Logger log = LoggerFactory.getLogger(Launchers.class);

  private Launchers() {}

  /**
   * Returns the launcher for {@code kind}. AUTO picks systemd when systemd is the init system
   * ({@code /run/systemd/system} is a directory, the test of sd_booted(3)) and detached
   * otherwise. SYSTEMD and DETACHED are used as configured.
   */
  public static SandboxLauncher choose(LauncherKind kind, ProcessRunner runner) {
    return choose(kind, runner, SystemdDetector::isSystemdInit);
  }

  /** Like {@link #choose(LauncherKind, ProcessRunner)}, with the systemd check injected. */
  static SandboxLauncher choose(
      LauncherKind kind, ProcessRunner runner, BooleanSupplier systemdIsInit) {
    SandboxLauncher launcher;
    String reason;
    switch (kind) {
      case SYSTEMD:
        launcher = new SystemdLauncher(runner);
        reason = "set in the configuration";
        break;
      case DETACHED:
        launcher = new DetachedLauncher();
        reason = "set in the configuration";
        break;
      case AUTO:
        boolean systemd = systemdIsInit.getAsBoolean();
        launcher = systemd ? new SystemdLauncher(runner) : new DetachedLauncher();
        reason = systemd ? "systemd is the init system" : "systemd is not the init system";
        break;
      default:
        throw new IllegalArgumentException("unknown sandbox launcher kind: " + kind);
    }
    log.info("Sandbox launcher: {} ({})", launcher.name(), reason);
    return launcher;
  }
}
