package io.rktlet.container;

import io.rktlet.errors.CriException;
import io.rktlet.events.LifecycleListener;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.NameReservations;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.store.Store;
import io.rktlet.util.KeyedLocks;

/**
 * Writes container records to the store and then the index, tells the lifecycle listener about
 * each change, and holds the per-container locks and name reservations the container calls
 * share.
 */
public final class ContainerStore {
  private final Store store;
  private final StateIndex index;
  private final NameReservations names;
  private final LifecycleListener listener;
  private final KeyedLocks locks = new KeyedLocks();

  public ContainerStore(Store store, StateIndex index, NameReservations names,
      LifecycleListener listener) {
    this.store = store;
    this.index = index;
    this.names = names;
    this.listener = listener;
  }

  public KeyedLocks locks() {
    return locks;
  }

  /** Returns the name under which a container is reserved: sandbox, name and attempt. */
  public static String reservationName(ContainerRecord record) {
    return record.sandboxId() + "/" + record.name() + "/" + record.attempt();
  }

  void reserve(ContainerRecord record) {
    names.reserve("container", reservationName(record), record.id());
  }

  /** Records that the container exists again after a restart of rktlet. */
  public void restoreReservation(ContainerRecord record) {
    reserve(record);
  }

  public void save(ContainerRecord record) {
    ContainerRecord before = index.container(record.id()).orElse(null);
    store.putContainer(record);
    index.putContainer(record);
    listener.containerChanged(before, record);
  }

  public void delete(ContainerRecord record) {
    ContainerRecord before = index.container(record.id()).orElse(record);
    store.deleteContainer(record.id());
    index.removeContainer(record.id());
    names.release(reservationName(record), record.id());
    listener.containerChanged(before, null);
  }

  /** Returns the sandbox if it is ready for apps, else fails with FAILED_PRECONDITION. */
  SandboxRecord readySandbox(String sandboxId) {
    SandboxRecord sandbox = index.sandbox(sandboxId).orElseThrow(() -> CriException.notFound(
        "sandbox " + sandboxId + " not found"));
    if (sandbox.phase() != SandboxRecord.Phase.READY || sandbox.rktUuid() == null) {
      throw CriException.failedPrecondition("sandbox " + sandboxId + " is not ready (it is "
          + sandbox.phase().name().toLowerCase() + ")");
    }
    return sandbox;
  }
}
