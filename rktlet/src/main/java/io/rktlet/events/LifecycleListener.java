package io.rktlet.events;

import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;

/** Told about every change of a sandbox or container record, after the store has it. */
public interface LifecycleListener {

  /**
   * @param before the record before the change, or null when it was just created
   * @param after the record after the change, or null when it was deleted
   */
  void sandboxChanged(SandboxRecord before, SandboxRecord after);

  /**
   * @param before the record before the change, or null when it was just created
   * @param after the record after the change, or null when it was deleted
   */
  void containerChanged(ContainerRecord before, ContainerRecord after);

  LifecycleListener NONE = new LifecycleListener() {
    @Override
    public void sandboxChanged(SandboxRecord before, SandboxRecord after) {}

    @Override
    public void containerChanged(ContainerRecord before, ContainerRecord after) {}
  };
}
