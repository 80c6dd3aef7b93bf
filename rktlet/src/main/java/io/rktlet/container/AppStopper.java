package io.rktlet.container;

import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an app within the CRI timeout. {@code rkt app stop} sends SIGTERM and then waits a fixed
 * 90 s that its CLI cannot change, so rktlet gives it the requested timeout, then kills the
 * app's cgroup and lets {@code rkt app stop} observe the end.
 */
final class AppStopper {
  private static final Logger log = LoggerFactory.getLogger(AppStopper.class);

  /** How long {@code rkt app stop} may take once the app's processes are killed. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  /** What happened: whether SIGTERM was sent and whether the cgroup had to be killed. */
  record Outcome(int stopSignal, boolean killed) {}

  private final RktCli rkt;
  private final AppKiller killer;

  AppStopper(RktCli rkt, AppKiller killer) {
    this.rkt = rkt;
    this.killer = killer;
  }

  Outcome stop(String podUuid, String appName, long timeoutSeconds) {
    if (timeoutSeconds > 0) {
      try {
        rkt.appStop(podUuid, appName, Duration.ofSeconds(timeoutSeconds));
        return new Outcome(AppExits.SIGTERM, false);
      } catch (RktException e) {
        if (e.failure() != RktFailure.TIMEOUT) {
          throw e;
        }
        log.info("App {} of rkt pod {} did not stop within {} s; killing it", appName, podUuid,
            timeoutSeconds);
      }
    }
    killer.kill(podUuid, appName);
    rkt.appStop(podUuid, appName, AFTER_KILL);
    return new Outcome(timeoutSeconds > 0 ? AppExits.SIGTERM : 0, true);
  }
}
