package io.rktlet.state;

import io.rktlet.cri.v1.ContainerConfig;
import java.util.List;

/**
 * rktlet's record of one container, which is one app in its sandbox's rkt pod.
 *
 * @param id 64 lowercase hex characters
 * @param appName name of the rkt app, derived from the container name and the ID
 * @param imageRef the image reference as the kubelet requested it
 * @param imageId CRI image ID (the registry manifest digest, {@code sha256:...})
 * @param rktImageId rkt store ID of the image the app runs ({@code sha512-...})
 * @param logPath absolute path of the container's CRI log file, or null when none was asked
 * @param times created, started and finished times in Unix nanoseconds, 0 when not reached
 * @param exit the exit code, reason and message once the container has exited
 * @param mountTargets host paths of the bind mounts rktlet made into the app's root filesystem
 */
public record ContainerRecord(
    String id,
    String sandboxId,
    ContainerConfig config,
    String appName,
    String imageRef,
    String imageId,
    String rktImageId,
    String logPath,
    Phase phase,
    Times times,
    Exit exit,
    List<String> mountTargets) {

  public ContainerRecord {
    mountTargets = mountTargets == null ? List.of() : List.copyOf(mountTargets);
  }

  /** Life of a container as rktlet tracks it. */
  public enum Phase {
    CREATING,
    CREATED,
    RUNNING,
    EXITED,
    REMOVING
  }

  /** Created, started and finished times in Unix nanoseconds; 0 when not reached. */
  public record Times(long createdAtNanos, long startedAtNanos, long finishedAtNanos) {}

  /** Exit code, reason and message of an ended container. */
  public record Exit(int code, String reason, String message) {
    public static final Exit NONE = new Exit(0, "", "");
  }

  public ContainerRecord withPhase(Phase newPhase) {
    return new ContainerRecord(id, sandboxId, config, appName, imageRef, imageId, rktImageId,
        logPath, newPhase, times, exit, mountTargets);
  }

  public ContainerRecord withConfig(ContainerConfig newConfig) {
    return new ContainerRecord(id, sandboxId, newConfig, appName, imageRef, imageId,
        rktImageId, logPath, phase, times, exit, mountTargets);
  }

  public ContainerRecord withMountTargets(List<String> targets) {
    return new ContainerRecord(id, sandboxId, config, appName, imageRef, imageId, rktImageId,
        logPath, phase, times, exit, targets);
  }

  public ContainerRecord started(long startedAtNanos) {
    return new ContainerRecord(id, sandboxId, config, appName, imageRef, imageId, rktImageId,
        logPath, Phase.RUNNING, new Times(times.createdAtNanos(), startedAtNanos, 0), Exit.NONE,
        mountTargets);
  }

  public ContainerRecord exited(long finishedAtNanos, Exit newExit) {
    return new ContainerRecord(id, sandboxId, config, appName, imageRef, imageId, rktImageId,
        logPath, Phase.EXITED,
        new Times(times.createdAtNanos(), times.startedAtNanos(), finishedAtNanos), newExit,
        mountTargets);
  }

  public String name() {
    return config.getMetadata().getName();
  }

  public int attempt() {
    return config.getMetadata().getAttempt();
  }
}
