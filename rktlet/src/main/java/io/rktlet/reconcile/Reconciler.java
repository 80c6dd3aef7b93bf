package io.rktlet.reconcile;

import io.rktlet.container.ContainerCreator;
import io.rktlet.container.ContainerStore;
import io.rktlet.container.ExitReader;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktPod;
import io.rktlet.sandbox.PodTeardown;
import io.rktlet.cgroups.PodCgroups;
import io.rktlet.sandbox.SandboxFiles;
import io.rktlet.sandbox.SandboxSpecs;
import io.rktlet.state.NameReservations;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.SandboxStore;
import io.rktlet.state.StateIndex;
import io.rktlet.store.Store;
import io.rktlet.util.KeyedLocks;
import io.rktlet.util.NanoClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches rktlet's records with {@code rkt list}: once at start-up, where it finishes or undoes
 * the changes a crash interrupted, and then periodically, where it notices apps and pods that
 * ended on their own. Every decision is logged with the IDs involved.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final RktCli rkt;
  private final Store store;
  private final SandboxStore sandboxes;
  private final StateIndex index;
  private final ContainerStore containers;
  private final ContainerCreator creator;
  private final PodTeardown teardown;
  private final SandboxFiles files;
  private final PodCgroups cgroups;
  private final NameReservations names;
  private final KeyedLocks sandboxLocks;
  private final ContainerSync containerSync;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "reconciler");
        thread.setDaemon(true);
        return thread;
      });

  public Reconciler(RktCli rkt, Store store, SandboxStore sandboxes, StateIndex index,
      ContainerStore containers, ContainerCreator creator, ExitReader exits,
      PodTeardown teardown, SandboxFiles files, PodCgroups cgroups, NameReservations names,
      KeyedLocks sandboxLocks, NanoClock clock) {
    this.cgroups = cgroups;
    this.rkt = rkt;
    this.store = store;
    this.sandboxes = sandboxes;
    this.index = index;
    this.containers = containers;
    this.creator = creator;
    this.teardown = teardown;
    this.files = files;
    this.names = names;
    this.sandboxLocks = sandboxLocks;
    this.containerSync = new ContainerSync(index, containers, exits, clock);
  }

  /** Loads the store into the index and restores the name reservations. */
  public void load() {
    store.sandboxes().forEach(index::putSandbox);
    store.containers().forEach(index::putContainer);
    index.sandboxes().forEach(record -> names.reserve("sandbox", record.fullName(),
        record.id()));
    index.containers().forEach(containers::restoreReservation);
    log.info("Loaded {} sandboxes and {} containers from the store", index.sandboxes().size(),
        index.containers().size());
  }

  /** Compares the loaded records with rkt once, before serving starts. */
  public void reconcile() {
    RktSnapshot snapshot = new RktSnapshot(rkt.list());
    new StartupRepair(sandboxes, index, containers, creator, teardown, files, cgroups)
        .repair(snapshot);
    removeOrphanPods(snapshot);
    sync(snapshot);
  }

  /** Starts the periodic comparison with rkt. */
  public void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::syncSafely, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("Reconciling with rkt every {} ms", interval.toMillis());
  }

  private void syncSafely() {
    try {
      sync(new RktSnapshot(rkt.list()));
    } catch (RuntimeException e) {
      log.warn("Reconciling with rkt failed; retrying in the next round: {}", e.getMessage());
    }
  }

  /** Marks sandboxes whose pod ended as not ready, and containers whose app ended as exited. */
  void sync(RktSnapshot snapshot) {
    for (SandboxRecord record : index.sandboxes()) {
      if (record.phase() == SandboxRecord.Phase.READY && !snapshot.isRunning(record.rktUuid())) {
        sandboxLocks.withLock(record.id(), () -> markNotReady(record.id(), snapshot));
      }
    }
    containerSync.sync(snapshot);
  }

  private void markNotReady(String id, RktSnapshot snapshot) {
    SandboxRecord record = index.sandbox(id).orElse(null);
    if (record == null || record.phase() != SandboxRecord.Phase.READY) {
      return;
    }
    String state = snapshot.pod(record.rktUuid()).map(RktPod::state).orElse("missing");
    sandboxes.save(record.withPhase(SandboxRecord.Phase.NOTREADY));
    log.info("Sandbox {} is no longer ready: its rkt pod {} is {}", id, record.rktUuid(), state);
  }

  /** Stops and removes rkt pods that carry rktlet's annotation but have no record. */
  private void removeOrphanPods(RktSnapshot snapshot) {
    for (Map.Entry<String, RktPod> entry :
        snapshot.byAnnotation(SandboxSpecs.SANDBOX_ID_ANNOTATION).entrySet()) {
      if (index.sandbox(entry.getKey()).isPresent()) {
        continue;
      }
      RktPod pod = entry.getValue();
      log.info("Removing rkt pod {}: it belongs to sandbox {}, of which rktlet has no record",
          pod.uuid(), entry.getKey());
      try {
        teardown.stop(pod.uuid(), 0);
        teardown.remove(pod.uuid(), 0);
      } catch (RuntimeException e) {
        log.warn("Failed to remove orphan rkt pod {}: {}", pod.uuid(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
