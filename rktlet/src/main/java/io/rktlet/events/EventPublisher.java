package io.rktlet.events;

import io.rktlet.container.ContainerViews;
import io.rktlet.cri.v1.ContainerEventResponse;
import io.rktlet.cri.v1.ContainerEventType;
import io.rktlet.cri.v1.PodSandboxStatus;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.util.NanoClock;

/**
 * Turns record changes into CRI container events. Sandboxes get events too, with the sandbox
 * ID as container ID, as containerd reports them: created and started when the pod becomes
 * ready, stopped when it stops, deleted when it is removed.
 */
public final class EventPublisher implements LifecycleListener {
  private final EventBus bus;
  private final StateIndex index;
  private final NanoClock clock;

  public EventPublisher(EventBus bus, StateIndex index, NanoClock clock) {
    this.bus = bus;
    this.index = index;
    this.clock = clock;
  }

  @Override
  public void sandboxChanged(SandboxRecord before, SandboxRecord after) {
    SandboxRecord.Phase was = before == null ? null : before.phase();
    if (after == null) {
      if (was != SandboxRecord.Phase.CREATING) {
        publish(before.id(), ContainerEventType.CONTAINER_DELETED_EVENT, before);
      }
      return;
    }
    if (after.phase() == SandboxRecord.Phase.READY && was != SandboxRecord.Phase.READY) {
      publish(after.id(), ContainerEventType.CONTAINER_CREATED_EVENT, after);
      publish(after.id(), ContainerEventType.CONTAINER_STARTED_EVENT, after);
    } else if (after.phase() == SandboxRecord.Phase.NOTREADY
        && was == SandboxRecord.Phase.READY) {
      publish(after.id(), ContainerEventType.CONTAINER_STOPPED_EVENT, after);
    }
  }

  @Override
  public void containerChanged(ContainerRecord before, ContainerRecord after) {
    ContainerRecord.Phase was = before == null ? null : before.phase();
    if (after == null) {
      if (was != ContainerRecord.Phase.CREATING) {
        publishForContainer(before, ContainerEventType.CONTAINER_DELETED_EVENT);
      }
      return;
    }
    if (after.phase() == was) {
      return;
    }
    switch (after.phase()) {
      case CREATED:
        publishForContainer(after, ContainerEventType.CONTAINER_CREATED_EVENT);
        break;
      case RUNNING:
        publishForContainer(after, ContainerEventType.CONTAINER_STARTED_EVENT);
        break;
      case EXITED:
        publishForContainer(after, ContainerEventType.CONTAINER_STOPPED_EVENT);
        break;
      default:
        // CREATING and REMOVING are rktlet's own intents, invisible to the kubelet.
    }
  }

  private void publishForContainer(ContainerRecord container, ContainerEventType type) {
    index.sandbox(container.sandboxId()).ifPresent(
        sandbox -> publish(container.id(), type, sandbox));
  }

  private void publish(String id, ContainerEventType type, SandboxRecord sandbox) {
    PodSandboxStatus podStatus = io.rktlet.sandbox.SandboxViews.status(sandbox);
    ContainerEventResponse.Builder event = ContainerEventResponse.newBuilder()
        .setContainerId(id)
        .setContainerEventType(type)
        .setCreatedAt(clock.nowNanos())
        .setPodSandboxStatus(podStatus);
    for (ContainerRecord record : index.containersOf(sandbox.id())) {
      if (record.phase() != ContainerRecord.Phase.CREATING
          && record.phase() != ContainerRecord.Phase.REMOVING) {
        event.addContainersStatuses(ContainerViews.status(record,
            index.repoDigestOf(record.imageId())));
      }
    }
    bus.publish(event.build());
  }
}
