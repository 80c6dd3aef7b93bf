package io.rktlet.host;

import io.rktlet.config.LauncherKind;
import io.rktlet.config.SystemdDetector;
import io.rktlet.process.ProcessRunner;
import java.nio.file.Path;
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
  /**
   * @param launchHelper the supervisor binary for the detached launcher's cgroup placement, or
   *     null
   */
  public static SandboxLauncher choose(LauncherKind kind, ProcessRunner runner,
      Path launchHelper) {
    return choose(kind, runner, SystemdDetector::isSystemdInit, launchHelper);
  }

  /** Like {@link #choose(LauncherKind, ProcessRunner)}, with the systemd check injected. */
  static SandboxLauncher choose(
      LauncherKind kind, ProcessRunner runner, BooleanSupplier systemdIsInit) {
    return choose(kind, runner, systemdIsInit, null);
  }

  static SandboxLauncher choose(LauncherKind kind, ProcessRunner runner,
      BooleanSupplier systemdIsInit, Path launchHelper) {
    SandboxLauncher launcher;
    String reason;
    switch (kind) {
      case SYSTEMD:
        launcher = new SystemdLauncher(runner);
        reason = "set in the configuration";
        break;
      case DETACHED:
        launcher = new DetachedLauncher(launchHelper);
        reason = "set in the configuration";
        break;
      case AUTO:
        boolean systemd = systemdIsInit.getAsBoolean();
        launcher = systemd ? new SystemdLauncher(runner) : new DetachedLauncher(launchHelper);
        reason = systemd ? "systemd is the init system" : "systemd is not the init system";
        break;
      default:
        throw new IllegalArgumentException("unknown sandbox launcher kind: " + kind);
    }
    log.info("Sandbox launcher: {} ({})", launcher.name(), reason);
    return launcher;
  }
}
