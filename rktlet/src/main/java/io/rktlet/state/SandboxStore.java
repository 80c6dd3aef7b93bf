package io.rktlet.state;

import io.rktlet.events.LifecycleListener;
import io.rktlet.store.Store;

/**
 * Writes sandbox records to the store and then the index, releases their names on deletion,
 * and tells the lifecycle listener about each change.
 */
public final class SandboxStore {
  private final Store store;
  private final StateIndex index;
  private final NameReservations names;
  private final LifecycleListener listener;

  public SandboxStore(Store store, StateIndex index, NameReservations names,
      LifecycleListener listener) {
    this.store = store;
    this.index = index;
    this.names = names;
    this.listener = listener;
  }

  public void save(SandboxRecord record) {
    SandboxRecord before = index.sandbox(record.id()).orElse(null);
    store.putSandbox(record);
    index.putSandbox(record);
    listener.sandboxChanged(before, record);
  }

  public void delete(SandboxRecord record) {
    SandboxRecord before = index.sandbox(record.id()).orElse(record);
    store.deleteSandbox(record.id());
    index.removeSandbox(record.id());
    names.release(record.fullName(), record.id());
    listener.sandboxChanged(before, null);
  }
}
