package io.rktlet.container;

import io.rktlet.cgroups.OomWatcher;
import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.containerio.SupervisorStatus;
import io.rktlet.rkt.RktApp;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds how an app ended. The supervisor's status file has the true exit status (rkt cannot
 * tell exit(9) from SIGKILL); rkt's own record is the fallback for a supervisor that was killed
 * before it could write one.
 */
public final class ExitReader {
  private static final Logger log = LoggerFactory.getLogger(ExitReader.class);

  /** How an app ended: the CRI exit and the finish time in Unix nanoseconds. */
  public record Ended(ContainerRecord.Exit exit, long finishedAtNanos) {}

  private final RktCli rkt;
  private final Path stateDir;
  private final OomWatcher oom;

  public ExitReader(RktCli rkt, Path stateDir, OomWatcher oom) {
    this.rkt = rkt;
    this.stateDir = stateDir;
    this.oom = oom;
  }

  /**
   * Returns how the app ended; a SIGKILL while the pod's OOM kill count grew is reported as
   * {@code OOMKilled}, exit code 137.
   *
   * @param sandbox the container's sandbox, or null when it is gone
   * @param stopSignal the signal rktlet sent to stop it, or 0 when it ended on its own
   * @param killed true when rktlet killed the app's cgroup
   * @param fallbackNanos finish time to report when none is recorded
   */
  public Ended read(SandboxRecord sandbox, ContainerRecord record, int stopSignal,
      boolean killed, long fallbackNanos) {
    Ended ended = readExit(sandbox == null ? null : sandbox.rktUuid(), record, stopSignal,
        killed, fallbackNanos);
    if (sandbox != null && ended.exit().code() == 128 + AppExits.SIGKILL
        && oom.killedSinceLastCheck(sandbox)) {
      return new Ended(new ContainerRecord.Exit(ended.exit().code(), "OOMKilled", ""),
          ended.finishedAtNanos());
    }
    return ended;
  }

  private Ended readExit(String podUuid, ContainerRecord record, int stopSignal,
      boolean killed, long fallbackNanos) {
    Optional<SupervisorStatus> status = supervisorStatus(record.id());
    if (status.isPresent() && status.get().hasEnded()) {
      SupervisorStatus ended = status.get();
      long finished = ended.finishedAtNanos() > 0 ? ended.finishedAtNanos() : fallbackNanos;
      return new Ended(exitOf(ended), finished);
    }
    RktApp app = null;
    if (podUuid != null) {
      try {
        app = rkt.appStatus(podUuid, record.appName()).orElse(null);
      } catch (RktException e) {
        log.debug("No rkt status for app {} of container {}: {}", record.appName(),
            record.id(), e.getMessage());
      }
    }
    return new Ended(AppExits.of(app, stopSignal, killed), AppExits.finishedAt(app,
        fallbackNanos));
  }

  /** Returns the supervisor's status, or empty when there is none or it cannot be read. */
  public Optional<SupervisorStatus> supervisorStatus(String containerId) {
    try {
      return SupervisorStatus.read(ContainerDirectory.of(stateDir, containerId).statusFile());
    } catch (IOException e) {
      log.warn("Cannot read the supervisor status of container {}: {}", containerId,
          e.toString());
      return Optional.empty();
    }
  }

  private static ContainerRecord.Exit exitOf(SupervisorStatus status) {
    if (status.failedToStart()) {
      return new ContainerRecord.Exit(status.exitCode(), "StartError",
          status.error() == null ? "" : status.error());
    }
    int code = status.exitCode();
    return new ContainerRecord.Exit(code, code == 0 ? "Completed" : "Error", "");
  }
}
