package io.rktlet.exec;

import io.rktlet.cgroups.PodCgroups;
import io.rktlet.container.AppPaths;
import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.errors.CriException;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the running container an exec or attach is for, and the cgroups it uses. */
public final class ExecTargets {
  private final StateIndex index;
  private final AppPaths paths;
  private final PodCgroups podCgroups;
  private final Path stateDir;

  public ExecTargets(StateIndex index, AppPaths paths, PodCgroups podCgroups, Path stateDir) {
    this.index = index;
    this.paths = paths;
    this.podCgroups = podCgroups;
    this.stateDir = stateDir;
  }

  /** Returns the target, or fails with NOT_FOUND or FAILED_PRECONDITION. */
  ExecTarget running(String containerId) {
    ContainerRecord container = index.findContainer(containerId).orElseThrow(
        () -> CriException.notFound("container " + containerId + " not found"));
    if (container.phase() != ContainerRecord.Phase.RUNNING) {
      throw CriException.failedPrecondition("container " + container.id() + " is not running");
    }
    SandboxRecord sandbox = index.sandbox(container.sandboxId()).orElseThrow(
        () -> CriException.notFound("sandbox " + container.sandboxId() + " not found"));
    List<Path> procs = new ArrayList<>();
    // The pod's own cgroups (memory above all), where the app's processes live too.
    podCgroups.of(sandbox).ifPresent(cgroup -> cgroup.procsFiles().stream()
        .filter(Files::isWritable).forEach(procs::add));
    for (String hierarchy : List.of("unified", "systemd", "")) {
      Path file = paths.appCgroup(hierarchy, sandbox.rktUuid(), container.appName())
          .resolve("cgroup.procs");
      if (Files.isWritable(file)) {
        procs.add(file);
      }
    }
    return new ExecTarget(container.id(), sandbox.rktUuid(), container.appName(),
        ContainerDirectory.of(stateDir, container.id()).path(), procs);
  }
}
