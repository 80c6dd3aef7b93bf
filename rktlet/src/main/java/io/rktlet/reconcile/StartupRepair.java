package io.rktlet.reconcile;

import io.rktlet.container.ContainerCreator;
import io.rktlet.container.ContainerStore;
import io.rktlet.rkt.RktPod;
import io.rktlet.sandbox.PodTeardown;
import io.rktlet.cgroups.PodCgroups;
import io.rktlet.sandbox.SandboxFiles;
import io.rktlet.sandbox.SandboxSpecs;
import io.rktlet.sandbox.UuidFile;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.SandboxStore;
import io.rktlet.state.StateIndex;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes the changes that a crash of rktlet interrupted, using the intent phases
 * (CREATING, REMOVING) recorded before each rkt command. A sandbox caught while being created
 * is removed rather than adopted, because the kubelet never learned its ID and will retry.
 */
final class StartupRepair {
  private static final Logger log = LoggerFactory.getLogger(StartupRepair.class);

  private final SandboxStore sandboxes;
  private final StateIndex index;
  private final ContainerStore containers;
  private final ContainerCreator creator;
  private final PodTeardown teardown;
  private final SandboxFiles files;
  private final PodCgroups cgroups;

  StartupRepair(SandboxStore sandboxes, StateIndex index, ContainerStore containers,
      ContainerCreator creator, PodTeardown teardown, SandboxFiles files, PodCgroups cgroups) {
    this.cgroups = cgroups;
    this.sandboxes = sandboxes;
    this.index = index;
    this.containers = containers;
    this.creator = creator;
    this.teardown = teardown;
    this.files = files;
  }

  /** Repairs every record; one that cannot be repaired is logged and kept for the next start. */
  void repair(RktSnapshot snapshot) {
    for (ContainerRecord record : List.copyOf(index.containers())) {
      try {
        repairContainer(record, snapshot);
      } catch (RuntimeException e) {
        log.warn("Failed to repair container {} ({}); keeping its record: {}", record.id(),
            record.phase(), e.toString());
      }
    }
    for (SandboxRecord record : List.copyOf(index.sandboxes())) {
      try {
        repairSandbox(record, snapshot);
      } catch (RuntimeException e) {
        log.warn("Failed to repair sandbox {} ({}); keeping its record: {}", record.id(),
            record.phase(), e.toString());
      }
    }
  }

  private void repairContainer(ContainerRecord record, RktSnapshot snapshot) {
    Optional<SandboxRecord> sandbox = index.sandbox(record.sandboxId());
    if (sandbox.isEmpty()) {
      log.info("Dropping container {}: its sandbox {} has no record", record.id(),
          record.sandboxId());
      containers.delete(record);
      return;
    }
    String uuid = sandbox.get().rktUuid();
    switch (record.phase()) {
      case CREATING:
      case REMOVING:
        log.info("Finishing the interrupted {} of container {} by removing it",
            record.phase() == ContainerRecord.Phase.CREATING ? "creation" : "removal",
            record.id());
        creator.dismantle(record, snapshot.app(uuid, record.appName()).isPresent());
        containers.delete(record);
        return;
      case CREATED:
        if (!snapshot.isRunning(uuid) || snapshot.app(uuid, record.appName()).isEmpty()) {
          log.info("Container {} can no longer start: its app {} or rkt pod {} is gone",
              record.id(), record.appName(), uuid);
          containers.save(record.exited(record.times().createdAtNanos(),
              new ContainerRecord.Exit(128, "Error", "app or pod gone while rktlet was down")));
        }
        return;
      default:
        // RUNNING and EXITED records are brought up to date by the regular sync.
    }
  }

  private void repairSandbox(SandboxRecord record, RktSnapshot snapshot) {
    switch (record.phase()) {
      case CREATING:
        String uuid = record.rktUuid() != null ? record.rktUuid()
            : uuidFromFileOrAnnotation(record, snapshot);
        log.info("Removing sandbox {}: rktlet stopped while creating it (rkt pod {})",
            record.id(), uuid);
        removeSandbox(record, uuid);
        return;
      case REMOVING:
        log.info("Finishing the interrupted removal of sandbox {} (rkt pod {})", record.id(),
            record.rktUuid());
        removeSandbox(record, record.rktUuid());
        return;
      default:
        // READY and NOTREADY are handled by the regular sync.
    }
  }

  private String uuidFromFileOrAnnotation(SandboxRecord record, RktSnapshot snapshot) {
    Optional<String> uuid = UuidFile.read(files.uuidFile(record.id()));
    if (uuid.isPresent()) {
      return uuid.get();
    }
    RktPod pod = snapshot.byAnnotation(SandboxSpecs.SANDBOX_ID_ANNOTATION).get(record.id());
    return pod == null ? null : pod.uuid();
  }

  private void removeSandbox(SandboxRecord record, String uuid) {
    try {
      if (uuid != null) {
        teardown.stop(uuid, record.podPid());
        teardown.remove(uuid, record.podPid());
      }
    } catch (RuntimeException e) {
      log.warn("Failed to remove rkt pod {} of sandbox {}; keeping its record for the next "
          + "start: {}", uuid, record.id(), e.getMessage());
      return;
    }
    for (ContainerRecord container : index.containersOf(record.id())) {
      containers.delete(container);
    }
    cgroups.remove(record);
    files.delete(record.id());
    sandboxes.delete(record);
  }
}
