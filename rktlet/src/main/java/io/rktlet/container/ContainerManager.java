package io.rktlet.container;

import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.containerio.SupervisorControl;
import io.rktlet.containerio.SupervisorStatus;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.ContainerStatusResponse;
import io.rktlet.cri.v1.CreateContainerRequest;
import io.rktlet.cri.v1.CreateContainerResponse;
import io.rktlet.cri.v1.ListContainersRequest;
import io.rktlet.cri.v1.ListContainersResponse;
import io.rktlet.cri.v1.RemoveContainerRequest;
import io.rktlet.cri.v1.ReopenContainerLogRequest;
import io.rktlet.cri.v1.StartContainerRequest;
import io.rktlet.cri.v1.StopContainerRequest;
import io.rktlet.errors.CriException;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.state.ViewCache;
import io.rktlet.cri.v1.Container;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the container calls: each container is one app in its sandbox's rkt pod. */
public final class ContainerManager {
  private static final Logger log = LoggerFactory.getLogger(ContainerManager.class);

  private final RktCli rkt;
  private final StateIndex index;
  private final ContainerStore records;
  private final ContainerCreator creator;
  private final AppStopper stopper;
  private final StartLimiter limiter;
  private final ExitReader exits;
  private final Path stateDir;
  private final NanoClock clock;
  /** How long StartContainer waits for the supervisor to report the child's start. */
  private static final Duration SUPERVISOR_START = Duration.ofSeconds(10);

  /** How long ReopenContainerLog waits for the supervisor to switch files. */
  private static final Duration REOPEN_TIMEOUT = Duration.ofSeconds(10);

  private final ViewCache<ContainerRecord, Container> summaries =
      new ViewCache<>(record -> ContainerViews.summary(record, repoDigest(record)));
  private final ViewCache<ContainerRecord, ContainerStatus> statuses =
      new ViewCache<>(record -> ContainerViews.status(record, repoDigest(record)));
  private final ExecutorService parallelStops = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "container-stop");
    thread.setDaemon(true);
    return thread;
  });

  public ContainerManager(RktCli rkt, StateIndex index, ContainerStore records,
      ContainerCreator creator, AppKiller killer, StartLimiter limiter, ExitReader exits,
      Path stateDir, NanoClock clock) {
    this.rkt = rkt;
    this.index = index;
    this.records = records;
    this.creator = creator;
    this.stopper = new AppStopper(rkt, killer, stateDir);
    this.limiter = limiter;
    this.exits = exits;
    this.stateDir = stateDir;
    this.clock = clock;
  }

  public CreateContainerResponse createContainer(CreateContainerRequest request) {
    String id = creator.create(request);
    return CreateContainerResponse.newBuilder().setContainerId(id).build();
  }

  public void startContainer(StartContainerRequest request) {
    ContainerRecord found = find(request.getContainerId());
    records.locks().withLock(found.id(), () -> start(found.id()));
  }

  private void start(String id) {
    ContainerRecord record = find(id);
    if (record.phase() != ContainerRecord.Phase.CREATED) {
      throw CriException.failedPrecondition("container " + id + " cannot be started: it is "
          + record.phase().name().toLowerCase() + ", not created");
    }
    SandboxRecord sandbox = records.readySandbox(record.sandboxId());
    ContainerDirectory dir = ContainerDirectory.of(stateDir, id);
    // Taken before the start, so an app that exits at once never finishes before it started.
    long startedAt = clock.nowNanos();
    try {
      dir.clearStatus();
      startApp(sandbox, record);
    } catch (RktException | IOException e) {
      records.save(record.exited(clock.nowNanos(),
          new ContainerRecord.Exit(128, "StartError", e.getMessage())));
      throw CriException.unknown("failed to start container " + id + " (app "
          + record.appName() + " in rkt pod " + sandbox.rktUuid() + ")", e);
    }
    SupervisorStatus status = awaitSupervisor(dir, id);
    if (status != null && status.failedToStart()) {
      records.save(record.started(startedAt).exited(status.finishedAtNanos(),
          new ContainerRecord.Exit(status.exitCode(), "StartError", status.error())));
      throw CriException.unknown("failed to start container " + id + ": " + status.error(),
          null);
    }
    if (status != null && status.startedAtNanos() > 0) {
      startedAt = status.startedAtNanos();
    }
    records.save(record.started(startedAt));
    log.info("Container {} started as app {} in rkt pod {}", id, record.appName(),
        sandbox.rktUuid());
  }

  /**
   * Waits until the supervisor reports the child running or failed. A start that fails in the
   * supervisor (a missing program, an unknown user) fails StartContainer, as in containerd.
   */
  private SupervisorStatus awaitSupervisor(ContainerDirectory dir, String id) {
    try {
      SupervisorStatus status = SupervisorControl.await(dir,
          current -> current.isRunning() || current.hasEnded(), SUPERVISOR_START).orElse(null);
      if (status == null) {
        log.warn("The supervisor of container {} reported nothing within {} s; the "
            + "reconciler follows its state", id, SUPERVISOR_START.toSeconds());
      }
      return status;
    } catch (IOException e) {
      log.warn("Cannot read the supervisor status of container {}: {}", id, e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void startApp(SandboxRecord sandbox, ContainerRecord record) {
    try {
      limiter.run(sandbox.rktUuid(), sandbox.podPid(),
          () -> rkt.appStart(sandbox.rktUuid(), record.appName()));
    } catch (RktException e) {
      if (e.failure() != RktFailure.UNKNOWN) {
        throw e;
      }
      // A sixth start within 10 s fails with only "exit status 254"; clear the limit, retry.
      log.warn("Starting app {} in rkt pod {} failed ({}); retrying once after clearing the "
          + "pod's start limit", record.appName(), sandbox.rktUuid(), e.reason());
      limiter.resetAfterFailure(sandbox.rktUuid(), sandbox.podPid());
      limiter.run(sandbox.rktUuid(), sandbox.podPid(),
          () -> rkt.appStart(sandbox.rktUuid(), record.appName()));
    }
  }

  /**
   * Stops the container within the request's timeout. Idempotent: an unknown or already
   * stopped container is a success, as the CRI requires of StopContainer.
   */
  public void stopContainer(StopContainerRequest request) {
    ContainerRecord found = index.findContainer(request.getContainerId()).orElse(null);
    if (found == null) {
      log.info("StopContainer of unknown container {}: nothing to do",
          request.getContainerId());
      return;
    }
    records.locks().withLock(found.id(), () -> stop(found.id(), request.getTimeout()));
  }

  private void stop(String id, long timeoutSeconds) {
    ContainerRecord record = index.container(id).orElse(null);
    if (record == null || record.phase() != ContainerRecord.Phase.RUNNING) {
      return;
    }
    SandboxRecord sandbox = index.sandbox(record.sandboxId()).orElseThrow();
    AppStopper.Outcome outcome;
    try {
      outcome = stopper.stop(sandbox.rktUuid(), id, record.appName(),
          StopSignals.number(record.config().getStopSignal()), timeoutSeconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CriException.unknown("interrupted while stopping container " + id, e);
    }
    ExitReader.Ended ended = exits.read(sandbox, record, outcome.stopSignal(),
        outcome.killed(), clock.nowNanos());
    records.save(record.exited(ended.finishedAtNanos(), ended.exit()));
    log.info("Container {} stopped with exit code {}", id, ended.exit().code());
  }

  /** Stops every running container of a sandbox at once, in parallel, each killed at once. */
  public void stopAll(String sandboxId) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ContainerRecord record : index.containersOf(sandboxId)) {
      if (record.phase() == ContainerRecord.Phase.RUNNING) {
        stops.add(CompletableFuture.runAsync(() -> records.locks().withLock(record.id(),
            () -> stop(record.id(), 0)), parallelStops));
      }
    }
    for (CompletableFuture<Void> stop : stops) {
      try {
        stop.join();
      } catch (RuntimeException e) {
        log.warn("Stopping a container of sandbox {} failed: {}", sandboxId, e.getMessage());
      }
    }
  }

  /**
   * Removes the container, stopping it first when it runs. Idempotent: an unknown container is
   * a success, as the CRI requires of RemoveContainer.
   */
  public void removeContainer(RemoveContainerRequest request) {
    ContainerRecord found = index.findContainer(request.getContainerId()).orElse(null);
    if (found == null) {
      log.info("RemoveContainer of unknown container {}: nothing to do",
          request.getContainerId());
      return;
    }
    records.locks().withLock(found.id(), () -> remove(found.id(), true));
  }

  private void remove(String id, boolean removeApp) {
    ContainerRecord record = index.container(id).orElse(null);
    if (record == null) {
      return;
    }
    if (record.phase() == ContainerRecord.Phase.RUNNING) {
      stop(id, 0);
      record = index.container(id).orElseThrow();
    }
    records.save(record.withPhase(ContainerRecord.Phase.REMOVING));
    creator.dismantle(record, removeApp);
    records.delete(record);
    summaries.retainOnly(index.containerIds());
    statuses.retainOnly(index.containerIds());
    log.info("Container {} removed", id);
  }

  /**
   * Removes the records of every container of a sandbox whose pod is about to be removed; rkt
   * removes the apps with the pod.
   */
  public void removeAll(String sandboxId) {
    for (ContainerRecord record : index.containersOf(sandboxId)) {
      records.locks().withLock(record.id(), () -> remove(record.id(), false));
    }
  }

  /**
   * Makes the supervisor open the container's log file again, after the kubelet renamed it for
   * rotation, and waits until it has. Every line before the switch is in the old file and every
   * line after it in the new one.
   */
  public void reopenContainerLog(ReopenContainerLogRequest request) {
    ContainerRecord record = find(request.getContainerId());
    if (record.phase() != ContainerRecord.Phase.RUNNING) {
      throw CriException.failedPrecondition("container " + record.id() + " is not running; "
          + "only a running container's log can be reopened");
    }
    if (record.logPath() == null) {
      throw CriException.failedPrecondition("container " + record.id() + " has no log path");
    }
    ContainerDirectory dir = ContainerDirectory.of(stateDir, record.id());
    try {
      long before = SupervisorStatus.read(dir.statusFile()).map(SupervisorStatus::reopened)
          .orElse(0L);
      SupervisorControl.send(dir, "reopen");
      SupervisorStatus after = SupervisorControl.await(dir,
          status -> status.reopened() > before || status.hasEnded(), REOPEN_TIMEOUT)
          .orElse(null);
      if (after == null || after.reopened() <= before) {
        throw CriException.unknown("the supervisor of container " + record.id()
            + " did not reopen its log within " + REOPEN_TIMEOUT.toSeconds() + " s", null);
      }
      if (after.logError() != null) {
        throw CriException.unknown("failed to reopen the log of container " + record.id()
            + ": " + after.logError(), null);
      }
    } catch (IOException e) {
      throw CriException.unknown("failed to reopen the log of container " + record.id(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CriException.unknown("interrupted while reopening the log of container "
          + record.id(), e);
    }
    log.info("Container {} reopened its log {}", record.id(), record.logPath());
  }

  /** Returns the status from memory; an unknown container is NOT_FOUND. */
  public ContainerStatusResponse containerStatus(ContainerStatusRequest request) {
    ContainerRecord record = find(request.getContainerId());
    ContainerStatusResponse.Builder response = ContainerStatusResponse.newBuilder()
        .setStatus(statuses.view(record.id(), record));
    if (request.getVerbose()) {
      response.putInfo("info", ContainerInfo.json(record, index));
    }
    return response.build();
  }

  /** Lists from memory, in no particular order (the CRI leaves it open). */
  public ListContainersResponse listContainers(ListContainersRequest request) {
    ListContainersResponse.Builder response = ListContainersResponse.newBuilder();
    for (ContainerRecord record : index.containers()) {
      if (isVisible(record) && ContainerViews.matches(record, request.getFilter())) {
        response.addContainers(summaries.view(record.id(), record));
      }
    }
    return response.build();
  }

  /** Returns the statuses of a sandbox's containers, for PodSandboxStatus. */
  public List<ContainerStatus> statusesOf(String sandboxId) {
    return index.containersOf(sandboxId).stream()
        .filter(ContainerManager::isVisible)
        .map(record -> statuses.view(record.id(), record))
        .collect(Collectors.toList());
  }

  private static boolean isVisible(ContainerRecord record) {
    return record.phase() != ContainerRecord.Phase.CREATING
        && record.phase() != ContainerRecord.Phase.REMOVING;
  }

  private String repoDigest(ContainerRecord record) {
    return index.repoDigestOf(record.imageId());
  }

  private ContainerRecord find(String idOrPrefix) {
    return index.findContainer(idOrPrefix).orElseThrow(() -> CriException.notFound(
        "container " + idOrPrefix + " not found"));
  }
}
