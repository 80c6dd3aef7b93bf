package io.rktlet.host;

import io.rktlet.errors.CriException;
import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts with util-linux {@code mount} and {@code umount}, run as argument vectors (never
 * through a shell) with a short deadline, and reads the mount table from
 * {@code /proc/self/mountinfo}.
 *
 * <p>Every bind goes through a staging point under a private staging root, because a bind
 * reaches the pod at the moment it is created under rkt's shared data directory, so its
 * propagation and read-only flag must be right before that:
 *
 * <ol>
 *   <li>bind the source onto a new staging point ({@code --rbind} for a directory, so that
 *       mounts below a host directory come along);
 *   <li>give the staging point the requested propagation. PRIVATE makes it {@code rprivate},
 *       so it leaves the source's peer group. HOST_TO_CONTAINER makes it {@code rslave}, so it
 *       still receives mounts made later below the source. BIDIRECTIONAL makes it
 *       {@code rshared};
 *   <li>for a read-only mount, remount the staging point and every mount below it read-only;
 *   <li>bind the staging point onto the target, which propagates to the pod;
 *   <li>set the same propagation on the target, which cuts (PRIVATE) or keeps its link to the
 *       pod's copy for later events, and unmount the staging point.
 * </ol>
 *
 * <p>Binding the source directly and making the target private afterwards would not give
 * PRIVATE: when the source is on a shared mount (as {@code /} is on systemd hosts), the pod's
 * copy joins the source's peer group as it is created, and it stays there after the host-side
 * target leaves the group, so later host mounts below the source would still reach the pod.
 */
public final class LinuxMounter implements Mounter {
  private static final Logger log = LoggerFactory.getLogger(LinuxMounter.class);

  /** Deadline of one mount or umount command. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

  // Per-mount flags that a bind remount clears unless they are given again.
  private static final Set<String> KEPT_ON_REMOUNT = Set.of("nosuid", "nodev", "noexec",
      "nosymfollow");

  private final MountCommands commands;
  private final MountTable mountTable;
  private final MountStaging staging;

  /**
   * Creates a mounter that stages binds under {@code stagingRoot}, for example
   * {@code <state dir>/mount-staging}. The directory is created, made a private mount point and
   * emptied of leftovers of an earlier run on first use. Nothing else may use it.
   */
  public LinuxMounter(ProcessRunner runner, Path stagingRoot) {
    this(runner, stagingRoot, MountTable.PROC_SELF_MOUNTINFO, DEFAULT_COMMAND_TIMEOUT);
  }

  /** Like {@link #LinuxMounter(ProcessRunner, Path)}, reading another mountinfo file. */
  public LinuxMounter(
      ProcessRunner runner, Path stagingRoot, Path mountInfoFile, Duration commandTimeout) {
    this.commands = new MountCommands(runner, commandTimeout);
    this.mountTable = new MountTable(mountInfoFile);
    this.staging = new MountStaging(commands, mountTable, stagingRoot);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code target} must come from {@link RootfsPaths#resolve}, because {@code mount} follows
   * symbolic links in it.
   *
   * @throws CriException with FAILED_PRECONDITION when the source's mount cannot propagate as
   *     requested: HOST_TO_CONTAINER needs a shared or slave mount, BIDIRECTIONAL a shared one
   */
  @Override
  public void bind(Path source, Path target, boolean readOnly, Propagation propagation)
      throws IOException {
    Path sourcePath = existingPath(source, "bind source");
    Path targetPath = existingPath(target, "bind target");
    boolean directory = Files.isDirectory(sourcePath);
    if (Files.isDirectory(targetPath) != directory) {
      throw new IOException("cannot bind " + sourcePath + " onto " + targetPath + ": the source"
          + " is " + (directory ? "a directory" : "a file") + " and the target is not");
    }
    checkSourcePropagation(sourcePath, propagation);

    Path stagingPoint = staging.create(directory);
    boolean targetMounted = false;
    try {
      run("mount", bindFlag(directory), sourcePath.toString(), stagingPoint.toString());
      run("mount", propagationFlag(propagation), stagingPoint.toString());
      if (readOnly) {
        remountReadOnly(stagingPoint);
      }
      run("mount", bindFlag(directory), stagingPoint.toString(), targetPath.toString());
      targetMounted = true;
      run("mount", propagationFlag(propagation), targetPath.toString());
    } catch (IOException | RuntimeException e) {
      if (targetMounted) {
        unmountAfterFailure(targetPath);
      }
      throw e;
    } finally {
      staging.discard(stagingPoint);
    }
    log.debug("Bind-mounted {} on {} (read-only: {}, propagation: {})",
        sourcePath, targetPath, readOnly, propagation);
  }

  /** {@inheritDoc} A target that is not a mount point, or does not exist, is not an error. */
  @Override
  public void unmount(Path target) throws IOException {
    Path targetPath = MountTable.canonical(target);
    if (mountTable.mountAt(targetPath).isEmpty()) {
      log.debug("Not unmounting {}: it is not a mount point", targetPath);
      return;
    }
    ProcessResult result = commands.tryRun("umount", "-l", targetPath.toString());
    if (!result.succeeded()) {
      if (mountTable.mountAt(targetPath).isEmpty()) {
        // Another process unmounted it after the check, so it is gone as requested.
        log.debug("Not unmounting {}: it was unmounted meanwhile", targetPath);
        return;
      }
      throw MountCommands.failure(result);
    }
    log.debug("Unmounted {}", targetPath);
  }

  /**
   * {@inheritDoc} A point with several mounts stacked on it appears once per mount, so that
   * unmounting each listed path once removes them all.
   */
  @Override
  public List<Path> mountsUnder(Path directory) throws IOException {
    List<Path> mountPoints = new ArrayList<>();
    for (MountInfo mount : mountTable.mountsUnder(MountTable.canonical(directory))) {
      mountPoints.add(mount.mountPoint());
    }
    return mountPoints;
  }

  /**
   * {@inheritDoc} A missing directory is created first. When the directory is not yet a mount
   * point it is bound onto itself with {@code --rbind}, so that mounts already below it (pods
   * that rkt ran before rktlet started) stay visible.
   */
  @Override
  public boolean ensureSharedMount(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      Files.createDirectories(directory);
      log.info("Created directory {} to make it a shared mount", directory);
    }
    Path path = directory.toRealPath();
    Optional<MountInfo> mount = mountTable.mountAt(path);
    if (mount.isPresent() && mount.get().isShared()) {
      log.info("{} is already a shared mount ({}); left unchanged",
          path, String.join(" ", mount.get().optionalFields()));
      return false;
    }
    if (mount.isEmpty()) {
      run("mount", "--rbind", path.toString(), path.toString());
      log.info("Bind-mounted {} onto itself, because it was not a mount point", path);
    }
    run("mount", "--make-rshared", path.toString());
    log.info("Made {} a shared mount (rshared), so that mounts below it reach pods", path);
    return true;
  }

  private void checkSourcePropagation(Path source, Propagation propagation) throws IOException {
    if (propagation == Propagation.PRIVATE) {
      return;
    }
    MountInfo mount = mountTable.mountContaining(source);
    boolean ok = propagation == Propagation.BIDIRECTIONAL
        ? mount.isShared() : mount.isShared() || mount.isSlave();
    if (!ok) {
      String needed = propagation == Propagation.BIDIRECTIONAL ? "shared" : "shared or slave";
      throw CriException.failedPrecondition("bind source " + source + " is on mount "
          + mount.mountPoint() + ", which is not " + needed + ", so propagation " + propagation
          + " cannot work; make it shared (mount --make-rshared " + mount.mountPoint()
          + ") or request private propagation");
    }
  }

  /** Remounts {@code stagingPoint} and every mount below it read-only, keeping other flags. */
  private void remountReadOnly(Path stagingPoint) throws IOException {
    List<MountInfo> mounts = mountTable.mountsUnder(stagingPoint);
    boolean stagingPointListed = false;
    for (MountInfo mount : mounts) {
      stagingPointListed |= mount.mountPoint().equals(stagingPoint);
      run("mount", "-o", remountOptions(mount.mountOptions()), mount.mountPoint().toString());
    }
    if (!stagingPointListed) {
      // Only when the mount table does not show the new mount (a test's fixed table).
      run("mount", "-o", remountOptions(List.of()), stagingPoint.toString());
    }
  }

  private static String remountOptions(List<String> currentOptions) {
    StringBuilder options = new StringBuilder("remount,bind,ro");
    for (String option : currentOptions) {
      if (KEPT_ON_REMOUNT.contains(option)) {
        options.append(',').append(option);
      }
    }
    return options.toString();
  }

  private void unmountAfterFailure(Path target) {
    try {
      unmount(target);
    } catch (IOException | RuntimeException e) {
      log.warn("Failed to undo the bind mount on {} after a failed bind: {}", target, e.toString());
    }
  }

  private void run(String... argv) throws IOException {
    commands.run(argv);
  }

  private static String bindFlag(boolean directory) {
    return directory ? "--rbind" : "--bind";
  }

  private static String propagationFlag(Propagation propagation) {
    switch (propagation) {
      case PRIVATE:
        return "--make-rprivate";
      case HOST_TO_CONTAINER:
        return "--make-rslave";
      case BIDIRECTIONAL:
        // NOTE: systemd-nspawn, which rkt's stage1 runs, makes the pod's mounts slaves of the
        // host's, so mounts made inside the pod never reach the host: only the host-to-container
        // half of BIDIRECTIONAL works there.
        return "--make-rshared";
      default:
        throw new IllegalArgumentException("unknown propagation: " + propagation);
    }
  }

  private static Path existingPath(Path path, String role) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.exists(absolute)) {
      throw new NoSuchFileException(absolute.toString(), null, role + " does not exist");
    }
    return absolute.toRealPath();
  }
}
