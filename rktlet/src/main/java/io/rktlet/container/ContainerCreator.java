package io.rktlet.container;

import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.CreateContainerRequest;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.errors.CriException;
import io.rktlet.image.ImageManager;
import io.rktlet.rkt.AppSpec;
import io.rktlet.rkt.ImageManifest;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import io.rktlet.security.SecurityPlan;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.util.Ids;
import io.rktlet.util.KeyedLocks;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates containers ({@code rkt app add} plus volume mounts) and takes them apart again.
 * Creation holds the sandbox's lock, so it cannot race with the sandbox's stop or removal.
 */
public final class ContainerCreator {
  private static final Logger log = LoggerFactory.getLogger(ContainerCreator.class);

  private final RktCli rkt;
  private final StateIndex index;
  private final ContainerStore records;
  private final ImageManager images;
  private final AppSetup setup;
  private final AppMounts mounts;
  private final AppPaths paths;
  private final KeyedLocks sandboxLocks;
  private final NanoClock clock;

  public ContainerCreator(RktCli rkt, StateIndex index, ContainerStore records,
      ImageManager images, AppSetup setup, AppPaths paths, KeyedLocks sandboxLocks,
      NanoClock clock) {
    this.rkt = rkt;
    this.index = index;
    this.records = records;
    this.images = images;
    this.setup = setup;
    this.mounts = setup.mounts();
    this.paths = paths;
    this.sandboxLocks = sandboxLocks;
    this.clock = clock;
  }

  /** Creates the container and returns its ID. */
  String create(CreateContainerRequest request) {
    ContainerValidator.validate(request);
    SandboxRecord found = index.findSandbox(request.getPodSandboxId()).orElseThrow(
        () -> CriException.notFound("sandbox " + request.getPodSandboxId() + " not found"));
    ContainerConfig config = request.getConfig();
    ImageRecord image = images.resolve(config.getImage().getImage()).orElseThrow(
        () -> CriException.notFound("image " + config.getImage().getImage()
            + " not found; pull it first"));
    return sandboxLocks.withLock(found.id(), () -> {
      SandboxRecord sandbox = records.readySandbox(found.id());
      String id = Ids.newId();
      ContainerRecord intent = new ContainerRecord(id, sandbox.id(), config,
          AppNames.derive(config.getMetadata().getName(), id), config.getImage().getImage(),
          image.id(), image.rktImageIds().get(0), logPath(sandbox, config),
          ContainerRecord.Phase.CREATING,
          new ContainerRecord.Times(clock.nowNanos(), 0, 0), ContainerRecord.Exit.NONE,
          List.of());
      records.reserve(intent);
      try {
        addApp(sandbox, intent);
      } catch (RuntimeException e) {
        records.delete(intent);
        throw e;
      }
      return id;
    });
  }

  private void addApp(SandboxRecord sandbox, ContainerRecord intent) {
    // The intent is on disk before rkt acts, so a crash leaves a record to clean up.
    records.save(intent);
    boolean added = false;
    List<String> targets = List.of();
    try {
      ImageManifest manifest = rkt.catManifest(intent.rktImageId());
      ContainerConfig config = intent.config();
      List<String> argv = ImageCommand.resolve(manifest, config.getCommandList(),
          config.getArgsList());
      if (argv.isEmpty()) {
        throw CriException.invalidArgument("container " + intent.name() + " has no command: "
            + "config.command is empty and image " + intent.imageRef()
            + " names no entrypoint or cmd");
      }
      SecurityPlan plan = setup.security().plan(config.getLinux().getSecurityContext(),
          sandbox.config().getLinux().getSecurityContext(), config.getDevicesList(),
          manifest.app() == null ? null : manifest.app().user(),
          manifest.app() == null ? null : manifest.app().group());
      ContainerDirectory dir = ContainerDirectory.of(setup.stateDir(), intent.id());
      dir.create(setup.supervisorBinary(), argv, SupervisorSpecs.environment(config, manifest),
          SupervisorSpecs.lines(config, manifest, plan, intent.logPath()));
      AppSpec spec = AppSpecs.toSpec(intent.id(), intent.appName(), intent.rktImageId(),
          config, plan, setup.minimumOomScoreAdj());
      rkt.appAdd(sandbox.rktUuid(), spec);
      added = true;
      createLogDirectory(intent);
      Path rootfs = paths.rootfs(sandbox.rktUuid(), intent.appName());
      targets = mounts.mount(intent.id(), config, plan, dir, intent.logPath(), rootfs);
      records.save(intent.withMountTargets(targets).withPhase(ContainerRecord.Phase.CREATED));
      log.info("Container {} ({}) created as app {} in rkt pod {} of sandbox {}", intent.id(),
          intent.name(), intent.appName(), sandbox.rktUuid(), sandbox.id());
      warnAboutLimits(intent.id(), config.getLinux().getResources());
    } catch (IOException e) {
      undo(intent.withMountTargets(targets), added);
      throw CriException.unknown("failed to create container " + intent.name()
          + " in sandbox " + sandbox.id(), e);
    } catch (RktException e) {
      undo(intent.withMountTargets(targets), added);
      throw mapAddFailure(intent, sandbox, e);
    } catch (RuntimeException e) {
      undo(intent.withMountTargets(targets), added);
      throw e;
    }
  }

  /**
   * Logs a warning that a container's own CPU and memory limits have no effect. rkt passes
   * them to isolators that do not confine the app, so only the pod's cgroup limits the app.
   */
  private static void warnAboutLimits(String id, LinuxContainerResources resources) {
    if (resources.getMemoryLimitInBytes() > 0 || resources.getCpuQuota() > 0) {
      log.warn("Container {} has a memory limit of {} bytes and a CPU quota of {} us, which "
          + "rkt cannot apply to the container alone, so only the limits of its pod's cgroup "
          + "confine it", id, resources.getMemoryLimitInBytes(),
          resources.getCpuQuota());
    }
  }

  private void undo(ContainerRecord record, boolean appAdded) {
    log.warn("Cleaning up container {} after its creation failed", record.id());
    dismantle(record, appAdded);
  }

  /**
   * Undoes the container's volume mounts and, when that is safe, removes its app. {@code rkt
   * app rm} destroys the writable layer of every other app of the same image in the pod, so
   * while such an app may still start or run, the app stays and goes with the pod.
   */
  public void dismantle(ContainerRecord record, boolean removeApp) {
    setup.volumes().unbind(record.id(), record.mountTargets());
    setup.logRecords().retire(record.id());
    ContainerDirectory.of(setup.stateDir(), record.id()).delete();
    if (!removeApp) {
      return;
    }
    SandboxRecord sandbox = index.sandbox(record.sandboxId()).orElse(null);
    if (sandbox == null || sandbox.rktUuid() == null) {
      return;
    }
    if (hasLiveSibling(record)) {
      log.info("Leaving app {} in rkt pod {} until the pod is removed: another app of image "
          + "{} lives there", record.appName(), sandbox.rktUuid(), record.rktImageId());
      return;
    }
    try {
      rkt.appRemove(sandbox.rktUuid(), record.appName());
    } catch (RktException e) {
      if (e.failure() != RktFailure.APP_NOT_FOUND && e.failure() != RktFailure.POD_NOT_RUNNING
          && e.failure() != RktFailure.POD_NOT_FOUND) {
        log.warn("Failed to remove app {} of container {} from rkt pod {}; it goes with the "
            + "pod: {}", record.appName(), record.id(), sandbox.rktUuid(), e.getMessage());
      }
    }
  }

  private boolean hasLiveSibling(ContainerRecord record) {
    return index.containersOf(record.sandboxId()).stream()
        .filter(other -> !other.id().equals(record.id()))
        .filter(other -> other.rktImageId().equals(record.rktImageId()))
        .anyMatch(other -> other.phase() == ContainerRecord.Phase.CREATING
            || other.phase() == ContainerRecord.Phase.CREATED
            || other.phase() == ContainerRecord.Phase.RUNNING);
  }

  private static RuntimeException mapAddFailure(ContainerRecord intent, SandboxRecord sandbox,
      RktException e) {
    String what = "failed to create container " + intent.name() + " in sandbox "
        + sandbox.id();
    if (e.failure() == RktFailure.POD_NOT_RUNNING) {
      return CriException.failedPrecondition(what + ": its rkt pod " + sandbox.rktUuid()
          + " no longer runs");
    }
    if (e.failure() == RktFailure.IMAGE_NOT_FOUND) {
      return CriException.notFound(what + ": image " + intent.imageRef()
          + " is no longer in rkt's store; pull it again");
    }
    return CriException.unknown(what, e);
  }

  private static String logPath(SandboxRecord sandbox, ContainerConfig config) {
    if (config.getLogPath().isEmpty()) {
      return null;
    }
    String directory = sandbox.config().getLogDirectory();
    if (directory.isEmpty()) {
      throw CriException.invalidArgument("invalid config.log_path \"" + config.getLogPath()
          + "\": the sandbox has no log_directory to put it in");
    }
    return Path.of(directory).resolve(Path.of(config.getLogPath()).normalize()).toString();
  }

  private static void createLogDirectory(ContainerRecord record) throws IOException {
    if (record.logPath() != null) {
      Files.createDirectories(Path.of(record.logPath()).getParent());
    }
  }
}
