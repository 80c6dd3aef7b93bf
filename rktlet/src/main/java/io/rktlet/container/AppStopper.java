package io.rktlet.container;

import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.containerio.SupervisorControl;
import io.rktlet.containerio.SupervisorStatus;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an app within the CRI timeout. The container's stop signal goes to its process group
 * through the supervisor; when the timeout passes, SIGKILL follows, then a kill of the app's
 * whole cgroup for processes that left the group. {@code rkt app stop}, which alone would wait
 * a fixed 90 s, then only records the end.
 */
final class AppStopper {
  private static final Logger log = LoggerFactory.getLogger(AppStopper.class);

  /** How long the supervisor may take to report the child's end after SIGKILL. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(2);

  /** How long {@code rkt app stop} may take once the app's processes are gone. */
  private static final Duration RKT_STOP = Duration.ofSeconds(10);

  /** What happened: the signal sent first and whether a kill was needed. */
  record Outcome(int stopSignal, boolean killed) {}

  private final RktCli rkt;
  private final AppKiller killer;
  private final Path stateDir;

  AppStopper(RktCli rkt, AppKiller killer, Path stateDir) {
    this.rkt = rkt;
    this.killer = killer;
    this.stateDir = stateDir;
  }

  Outcome stop(String podUuid, String containerId, String appName, int stopSignal,
      long timeoutSeconds) throws InterruptedException {
    ContainerDirectory dir = ContainerDirectory.of(stateDir, containerId);
    boolean ended = false;
    if (timeoutSeconds > 0) {
      ended = signalAndWait(dir, stopSignal, Duration.ofSeconds(timeoutSeconds), containerId);
      if (!ended) {
        log.info("Container {} did not stop within {} s of signal {}; killing it",
            containerId, timeoutSeconds, stopSignal);
      }
    }
    boolean killed = false;
    if (!ended) {
      killed = true;
      if (!signalAndWait(dir, AppExits.SIGKILL, AFTER_KILL, containerId)) {
        killer.kill(podUuid, appName);
      }
    }
    recordStop(podUuid, appName, containerId);
    return new Outcome(timeoutSeconds > 0 ? stopSignal : 0, killed);
  }

  private boolean signalAndWait(ContainerDirectory dir, int signal, Duration timeout,
      String containerId) throws InterruptedException {
    try {
      SupervisorControl.send(dir, "signal " + signal);
      return SupervisorControl.await(dir, SupervisorStatus::hasEnded, timeout)
          .map(SupervisorStatus::hasEnded).orElse(false);
    } catch (IOException e) {
      log.warn("Cannot signal container {} through its supervisor: {}", containerId,
          e.toString());
      return false;
    }
  }

  /** Lets rkt see the app's end; the app's processes are gone, so this returns quickly. */
  private void recordStop(String podUuid, String appName, String containerId) {
    try {
      rkt.appStop(podUuid, appName, RKT_STOP);
    } catch (RktException e) {
      if (e.failure() == RktFailure.TIMEOUT) {
        log.warn("rkt app stop of container {} (app {}) still waits after the kill; killing "
            + "the app's cgroup again", containerId, appName);
        killer.kill(podUuid, appName);
        return;
      }
      if (e.failure() != RktFailure.POD_NOT_RUNNING && e.failure() != RktFailure.APP_NOT_FOUND) {
        throw e;
      }
    }
  }
}
