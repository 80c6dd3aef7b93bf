package io.rktlet.sandbox;

import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import io.rktlet.rkt.RktPod;
import io.rktlet.util.Processes;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops and removes rkt pods. {@code rkt stop} returns at once while the pod winds down, so
 * stopping waits for the pod process to end and forces the stop after a deadline.
 */
public final class PodTeardown {
  private static final Logger log = LoggerFactory.getLogger(PodTeardown.class);

  private final RktCli rkt;
  private final Duration stopTimeout;

  /** @param stopTimeout how long a graceful {@code rkt stop} may take before it is forced */
  public PodTeardown(RktCli rkt, Duration stopTimeout) {
    this.rkt = rkt;
    this.stopTimeout = stopTimeout;
  }

  /**
   * Stops the pod and waits for its process to end; forces the stop when it takes longer than
   * the stop timeout. A pod rkt does not know counts as stopped.
   *
   * @param pid the pod's process ID when known, else 0
   */
  public void stop(String uuid, long pid) {
    try {
      if (!rkt.stop(uuid, false)) {
        return;
      }
    } catch (RktException e) {
      if (e.failure() == RktFailure.POD_NOT_FOUND) {
        return;
      }
      throw e;
    }
    if (waitForExit(uuid, pid, stopTimeout)) {
      return;
    }
    log.warn("rkt pod {} still runs {} ms after rkt stop; forcing it", uuid,
        stopTimeout.toMillis());
    rkt.stop(uuid, true);
    if (!waitForExit(uuid, pid, Duration.ofSeconds(10))) {
      log.warn("rkt pod {} still runs after rkt stop --force", uuid);
    }
  }

  /** Removes a stopped pod; a running one is stopped first. Unknown pods count as removed. */
  public void remove(String uuid, long pid) {
    try {
      rkt.remove(uuid);
    } catch (RktException e) {
      if (e.failure() == RktFailure.POD_NOT_FOUND) {
        return;
      }
      if (e.failure() != RktFailure.POD_RUNNING) {
        throw e;
      }
      log.info("rkt pod {} still runs at removal; stopping it first", uuid);
      stop(uuid, pid);
      rkt.remove(uuid);
    }
  }

  private boolean waitForExit(String uuid, long pid, Duration timeout) {
    if (pid > 0 && !awaitProcessEnd(pid, timeout)) {
      return false;
    }
    return awaitNotRunning(uuid, pid > 0 ? Duration.ofSeconds(2) : timeout);
  }

  /** Waits until the pod process has exited (a zombie counts as exited), at most timeout. */
  private static boolean awaitProcessEnd(long pid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 10;
    while (Processes.isRunning(pid)) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pauseMillis = Math.min(pauseMillis * 2, 200);
    }
    return true;
  }

  /**
   * Asks rkt until the pod no longer runs. Used when the pod process is not observable (for
   * example a systemd unit) and to let rkt record the exit after the process ended.
   */
  private boolean awaitNotRunning(String uuid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 20;
    while (true) {
      Optional<RktPod> pod = rkt.status(uuid);
      if (pod.isEmpty() || !pod.get().isRunning()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pauseMillis = Math.min(pauseMillis * 2, 500);
    }
  }
}
