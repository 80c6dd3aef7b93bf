package io.rktlet.reconcile;

import io.rktlet.container.ContainerStore;
import io.rktlet.container.ExitReader;
import io.rktlet.rkt.RktApp;
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

  private final StateIndex index;
  private final ContainerStore containers;
  private final ExitReader exits;
  private final NanoClock clock;

  ContainerSync(StateIndex index, ContainerStore containers, ExitReader exits,
      NanoClock clock) {
    this.index = index;
    this.containers = containers;
    this.exits = exits;
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
      boolean supervisorEnded = exits.supervisorStatus(record.id())
          .map(status -> status.hasEnded()).orElse(false);
      if (podRuns && app.isPresent() && app.get().isRunning() && !supervisorEnded) {
        continue;
      }
      containers.locks().withLock(record.id(), () -> markExited(record.id(), sandbox));
    }
  }

  private void markExited(String id, SandboxRecord sandbox) {
    String uuid = sandbox == null ? null : sandbox.rktUuid();
    ContainerRecord record = index.container(id).orElse(null);
    if (record == null || record.phase() != ContainerRecord.Phase.RUNNING) {
      return;
    }
    ExitReader.Ended ended = exits.read(sandbox, record, 0, false, clock.nowNanos());
    containers.save(record.exited(ended.finishedAtNanos(), ended.exit()));
    log.info("Container {} (app {} in rkt pod {}) exited with code {}{}", id, record.appName(),
        uuid, ended.exit().code(),
        ended.exit().message().isEmpty() ? "" : ": " + ended.exit().message());
  }
}
