package io.rktlet.container;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps app starts within the start limit of the pod's systemd. Every rkt app unit requires
 * {@code sysusers.service}, a oneshot that runs again at each app start, and systemd allows 5
 * starts of a unit in 10 s: the sixth {@code rkt app start} within 10 s fails. Before such a
 * start this clears the counter inside the pod ({@code systemctl reset-failed}); when that is
 * not possible, it waits until the oldest start leaves the window.
 */
public final class StartLimiter {
  private static final Logger log = LoggerFactory.getLogger(StartLimiter.class);

  static final int STARTS_PER_WINDOW = 5;
  static final Duration WINDOW = Duration.ofSeconds(10);

  private final ProcessRunner runner;
  private final Map<String, Deque<Long>> startsByPod = new ConcurrentHashMap<>();

  public StartLimiter(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Runs {@code start} for an app of the pod once the pod's start budget allows it; starts in
   * one pod are serialised so the count stays exact.
   *
   * @param podPid PID of the pod's process (systemd-nspawn), whose child is the pod's systemd
   */
  void run(String podUuid, long podPid, Runnable start) {
    Deque<Long> starts = startsByPod.computeIfAbsent(podUuid, uuid -> new ArrayDeque<>());
    synchronized (starts) {
      makeRoom(starts, podUuid, podPid);
      start.run();
      starts.addLast(System.nanoTime());
    }
  }

  /** Clears the pod's start counter after a start failed; true when that worked. */
  boolean resetAfterFailure(String podUuid, long podPid) {
    Deque<Long> starts = startsByPod.computeIfAbsent(podUuid, uuid -> new ArrayDeque<>());
    synchronized (starts) {
      if (resetInPod(podUuid, podPid)) {
        starts.clear();
        return true;
      }
      return false;
    }
  }

  void forget(String podUuid) {
    startsByPod.remove(podUuid);
  }

  private void makeRoom(Deque<Long> starts, String podUuid, long podPid) {
    prune(starts);
    if (starts.size() < STARTS_PER_WINDOW) {
      return;
    }
    if (resetInPod(podUuid, podPid)) {
      starts.clear();
      return;
    }
    long waitNanos = starts.peekFirst() + WINDOW.toNanos() - System.nanoTime();
    log.info("Waiting {} ms before the next app start in rkt pod {} so its systemd start limit "
        + "(5 starts in 10 s) is not hit", waitNanos / 1_000_000, podUuid);
    try {
      Thread.sleep(Math.max(0, waitNanos / 1_000_000) + 50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    prune(starts);
  }

  private static void prune(Deque<Long> starts) {
    long oldest = System.nanoTime() - WINDOW.toNanos();
    while (!starts.isEmpty() && starts.peekFirst() < oldest) {
      starts.removeFirst();
    }
  }

  /** Runs {@code systemctl reset-failed sysusers.service} in the pod's namespaces. */
  private boolean resetInPod(String podUuid, long podPid) {
    long systemdPid = io.rktlet.util.Processes.firstChild(podPid);
    if (systemdPid <= 0) {
      return false;
    }
    List<String> argv = List.of("nsenter", "--target=" + systemdPid, "--mount", "--uts",
        "--ipc", "--net", "--pid", "--", "/usr/bin/systemctl", "reset-failed",
        "sysusers.service");
    try {
      ProcessResult result = runner.run(ProcessSpec.of(argv, Duration.ofSeconds(5)));
      if (result.succeeded()) {
        log.info("Reset the start limit of sysusers.service in rkt pod {}", podUuid);
        return true;
      }
      log.debug("Cannot reset sysusers.service in rkt pod {}: {}", podUuid,
          result.stderrText().strip());
    } catch (IOException e) {
      log.debug("Cannot run nsenter for rkt pod {}: {}", podUuid, e.toString());
    }
    return false;
  }

}
