package io.rktlet.reconcile;

import io.rktlet.container.ContainerStore;
import io.rktlet.rkt.RktApp;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.util.NanoClock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings running container records in line with what rkt reports about their apps. */
final class ContainerSync {
  private static final Logger log = LoggerFactory.getLogger(ContainerSync.class);

  private final RktCli rkt;
  private final StateIndex index;
  private final ContainerStore containers;
  private final NanoClock clock;

  ContainerSync(RktCli rkt, StateIndex index, ContainerStore containers, NanoClock clock) {
    this.rkt = rkt;
    this.index = index;
    this.containers = containers;
    this.clock = clock;
  }

  /** Marks running containers whose app or pod has ended as exited. */
  void sync(RktSnapshot snapshot) {
    for (ContainerRecord record : index.containers()) {
      if (record.phase() != ContainerRecord.Phase.RUNNING) {
        continue;
      }
      SandboxRecord sandbox = index.sandbox(record.sandboxId()).orElse(null);
      String uuid = sandbox == null ? null : sandbox.rktUuid();
      Optional<RktApp> app = snapshot.app(uuid, record.appName());
      boolean podRuns = snapshot.isRunning(uuid);
      if (podRuns && app.isPresent() && app.get().isRunning()) {
        continue;
      }
      containers.locks().withLock(record.id(), () -> markExited(record.id(), uuid, podRuns));
    }
  }

  private void markExited(String id, String uuid, boolean podRuns) {
    ContainerRecord record = index.container(id).orElse(null);
    if (record == null || record.phase() != ContainerRecord.Phase.RUNNING) {
      return;
    }
    RktApp app = null;
    if (uuid != null) {
      try {
        // The app's own times and exit code; rkt list carries the pod's times.
        app = rkt.appStatus(uuid, record.appName()).orElse(null);
      } catch (RktException e) {
        log.debug("No app status for container {}: {}", id, e.getMessage());
      }
    }
    if (app != null && app.isRunning() && podRuns) {
      return;
    }
    ContainerRecord.Exit exit = exitOf(app, podRuns);
    long finished = app != null && app.finishedAtNanos() != null && app.finishedAtNanos() > 0
        ? app.finishedAtNanos() : clock.nowNanos();
    containers.save(record.exited(finished, exit));
    log.info("Container {} (app {} in rkt pod {}) exited with code {}{}", id, record.appName(),
        uuid, exit.code(), exit.message().isEmpty() ? "" : ": " + exit.message());
  }

  private static ContainerRecord.Exit exitOf(RktApp app, boolean podRuns) {
    if (app != null && app.exitCode() != null) {
      int code = app.exitCode();
      return new ContainerRecord.Exit(code, code == 0 ? "Completed" : "Error", "");
    }
    String message = podRuns ? "rkt reports no exit code for the app"
        : "the container's rkt pod no longer runs";
    return new ContainerRecord.Exit(128 + 9, "Error", message);
  }
}
