package io.rktlet.sandbox;

import io.rktlet.cgroups.PodCgroups;
import io.rktlet.config.RktletConfig;
import io.rktlet.container.ContainerManager;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.ListPodSandboxResponse;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxStatusRequest;
import io.rktlet.cri.v1.PodSandboxStatusResponse;
import io.rktlet.cri.v1.RemovePodSandboxRequest;
import io.rktlet.cri.v1.RunPodSandboxRequest;
import io.rktlet.cri.v1.RunPodSandboxResponse;
import io.rktlet.cri.v1.StopPodSandboxRequest;
import io.rktlet.errors.CriException;
import io.rktlet.host.SandboxLauncher;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.SandboxSpec;
import io.rktlet.security.SysctlPlan;
import io.rktlet.state.NameReservations;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.state.ViewCache;
import io.rktlet.cri.v1.PodSandbox;
import io.rktlet.cri.v1.PodSandboxStatus;
import io.rktlet.state.SandboxStore;
import io.rktlet.util.Ids;
import io.rktlet.util.KeyedLocks;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the pod sandbox calls: each sandbox is one mutable rkt pod. */
public final class SandboxManager {
  private static final Logger log = LoggerFactory.getLogger(SandboxManager.class);

  /** How long a graceful rkt stop may take once every app has been stopped. */
  private static final Duration POD_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final RktletConfig config;
  private final SandboxStore sandboxes;
  private final PodCgroups cgroups;
  private final PodSysctls sysctls;
  private final StateIndex index;
  private final ContainerManager containers;
  private final SandboxFiles files;
  private final PodStarter starter;
  private final PodTeardown teardown;
  private final NameReservations names;
  private final KeyedLocks locks;
  private final NanoClock clock;
  private final ViewCache<SandboxRecord, PodSandbox> summaries =
      new ViewCache<>(SandboxViews::summary);
  private final ViewCache<SandboxRecord, PodSandboxStatus> statuses =
      new ViewCache<>(SandboxViews::status);

  public SandboxManager(RktletConfig config, RktCli rkt, SandboxLauncher launcher,
      PodCgroups cgroups, PodSysctls sysctls, SandboxStore sandboxes, StateIndex index,
      ContainerManager containers, NameReservations names, KeyedLocks locks, NanoClock clock) {
    this.config = config;
    this.sysctls = sysctls;
    this.cgroups = cgroups;
    this.sandboxes = sandboxes;
    this.index = index;
    this.containers = containers;
    this.files = new SandboxFiles(config.stateDir());
    this.starter = new PodStarter(rkt, launcher, config.rkt().podReadyTimeout());
    this.teardown = new PodTeardown(rkt, POD_STOP_TIMEOUT);
    this.names = names;
    this.locks = locks;
    this.clock = clock;
  }

  public PodTeardown teardown() {
    return teardown;
  }

  public SandboxFiles files() {
    return files;
  }

  public RunPodSandboxResponse runPodSandbox(RunPodSandboxRequest request) {
    SandboxValidator.validate(request, config.rkt().stage1ByHandler().keySet());
    PodSandboxConfig podConfig = request.getConfig();
    SysctlPlan sysctlPlan = sysctls.plan(podConfig.getLinux());
    String id = Ids.newId();
    SandboxRecord record = new SandboxRecord(id, podConfig, request.getRuntimeHandler(),
        SandboxRecord.Phase.CREATING, null, null, clock.nowNanos(), 0);
    // Rejects an invalid cgroup parent before any record exists.
    cgroups.of(record);
    names.reserve("sandbox", record.fullName(), id);
    try {
      return locks.withLock(id, () -> create(record, sysctlPlan));
    } catch (RuntimeException e) {
      names.release(record.fullName(), id);
      throw e;
    }
  }

  private RunPodSandboxResponse create(SandboxRecord intent, SysctlPlan sysctlPlan) {
    String id = intent.id();
    // Record the intent first: a crash from here on leaves a CREATING record that the
    // reconciler finishes or cleans up, and the rkt pod carries the sandbox ID to match it.
    save(intent);
    SandboxRecord[] current = {intent};
    try {
      Path dir = files.create(id);
      ensureLogDirectory(intent.config());
      SandboxSpec spec = SandboxSpecs.toSpec(id, intent.config(), intent.isHostNetwork(),
          files.uuidFile(id), config.rkt().network(),
          config.rkt().stage1ByHandler().get(intent.runtimeHandler()));
      List<Path> cgroupProcs = cgroups.prepare(intent);
      PodStarter.StartedPod pod = starter.start(id, spec, files.outputFile(id),
          intent.config().getLinux().getCgroupParent(), cgroupProcs, uuid -> {
            current[0] = current[0].withPod(uuid, null, 0);
            save(current[0]);
          });
      current[0] = current[0].withPod(pod.uuid(), pod.ip(), pod.pid());
      // After the start, because the systemd driver's cgroup exists only once the unit runs.
      cgroups.applyResources(current[0]);
      sysctls.apply(id, sysctlPlan, pod.pid());
      SandboxRecord ready = current[0].withPhase(SandboxRecord.Phase.READY);
      save(ready);
      log.info("Sandbox {} ({}) is ready as rkt pod {} with IP {} in {}", id,
          ready.fullName(), pod.uuid(), pod.ip(), dir);
      return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
    } catch (IOException e) {
      undoCreate(current[0]);
      throw CriException.unknown("failed to create sandbox " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      undoCreate(current[0]);
      throw CriException.unknown("interrupted while creating sandbox " + id, e);
    } catch (RuntimeException e) {
      undoCreate(current[0]);
      throw e;
    }
  }

  /** Removes whatever a failed RunPodSandbox left behind, logging but not raising failures. */
  private void undoCreate(SandboxRecord record) {
    log.warn("Cleaning up sandbox {} after its creation failed", record.id());
    if (record.rktUuid() != null) {
      try {
        teardown.stop(record.rktUuid(), record.podPid());
        teardown.remove(record.rktUuid(), record.podPid());
      } catch (RuntimeException e) {
        log.warn("Failed to remove rkt pod {} of failed sandbox {}; the reconciler retries: {}",
            record.rktUuid(), record.id(), e.getMessage());
        return;
      }
    }
    cgroups.remove(record);
    files.delete(record.id());
    sandboxes.delete(record);
  }

  /**
   * Stops every container and then the pod. Idempotent: an unknown or already stopped sandbox
   * is a success, as the CRI requires of StopPodSandbox.
   */
  public void stopPodSandbox(StopPodSandboxRequest request) {
    SandboxRecord found = index.findSandbox(request.getPodSandboxId()).orElse(null);
    if (found == null) {
      log.info("StopPodSandbox of unknown sandbox {}: nothing to do",
          request.getPodSandboxId());
      return;
    }
    locks.withLock(found.id(), () -> stop(found.id()));
  }

  private void stop(String id) {
    SandboxRecord record = index.sandbox(id).orElse(null);
    if (record == null) {
      return;
    }
    containers.stopAll(id);
    if (record.rktUuid() != null) {
      teardown.stop(record.rktUuid(), record.podPid());
    }
    if (record.phase() == SandboxRecord.Phase.READY) {
      save(record.withPhase(SandboxRecord.Phase.NOTREADY));
      log.info("Sandbox {} ({}) stopped", id, record.fullName());
    }
  }

  /**
   * Removes the sandbox, its containers and its rkt pod, stopping them first when they run.
   * Idempotent: an unknown sandbox is a success, as the CRI requires of RemovePodSandbox.
   */
  public void removePodSandbox(RemovePodSandboxRequest request) {
    SandboxRecord found = index.findSandbox(request.getPodSandboxId()).orElse(null);
    if (found == null) {
      log.info("RemovePodSandbox of unknown sandbox {}: nothing to do",
          request.getPodSandboxId());
      return;
    }
    locks.withLock(found.id(), () -> remove(found.id()));
  }

  private void remove(String id) {
    SandboxRecord record = index.sandbox(id).orElse(null);
    if (record == null) {
      return;
    }
    stop(id);
    record = index.sandbox(id).orElseThrow();
    save(record.withPhase(SandboxRecord.Phase.REMOVING));
    containers.removeAll(id);
    if (record.rktUuid() != null) {
      try {
        teardown.remove(record.rktUuid(), record.podPid());
      } catch (RktException e) {
        throw CriException.unknown("failed to remove rkt pod " + record.rktUuid()
            + " of sandbox " + id + "; the call can be retried", e);
      }
    }
    cgroups.remove(record);
    files.delete(id);
    sandboxes.delete(record);
    summaries.retainOnly(index.sandboxIds());
    statuses.retainOnly(index.sandboxIds());
    log.info("Sandbox {} ({}) removed", id, record.fullName());
  }

  /** Returns the status from memory; an unknown sandbox is NOT_FOUND. */
  public PodSandboxStatusResponse podSandboxStatus(PodSandboxStatusRequest request) {
    SandboxRecord record = index.findSandbox(request.getPodSandboxId())
        .orElseThrow(() -> CriException.notFound("sandbox " + request.getPodSandboxId()
            + " not found"));
    PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
        .setStatus(statuses.view(record.id(), record))
        .setTimestamp(clock.nowNanos());
    response.addAllContainersStatuses(containers.statusesOf(record.id()));
    if (request.getVerbose()) {
      response.putInfo("info", SandboxInfo.json(record, files));
    }
    return response.build();
  }

  /** Lists from memory, in no particular order (the CRI leaves it open). */
  public ListPodSandboxResponse listPodSandbox(ListPodSandboxRequest request) {
    ListPodSandboxResponse.Builder response = ListPodSandboxResponse.newBuilder();
    for (SandboxRecord record : index.sandboxes()) {
      if (record.phase() != SandboxRecord.Phase.CREATING
          && SandboxViews.matches(record, request.getFilter())) {
        response.addItems(summaries.view(record.id(), record));
      }
    }
    return response.build();
  }

  private void save(SandboxRecord record) {
    sandboxes.save(record);
  }

  private static void ensureLogDirectory(PodSandboxConfig config) throws IOException {
    if (!config.getLogDirectory().isEmpty()) {
      Files.createDirectories(Path.of(config.getLogDirectory()));
    }
  }
}
