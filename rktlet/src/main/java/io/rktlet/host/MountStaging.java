package io.rktlet.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staging points for bind mounts: empty directories and files under a staging root that is a
 * private mount point of its own, so that nothing mounted there propagates to other mount
 * namespaces on a host whose {@code /} is shared.
 */
final class MountStaging {
  private static final Logger log = LoggerFactory.getLogger(MountStaging.class);

  private final MountCommands commands;
  private final MountTable mountTable;
  private final Path configuredRoot;
  private final Object lock = new Object();
  private Path root; // Guarded by lock. The canonical root, once it is a private mount point.

  MountStaging(MountCommands commands, MountTable mountTable, Path configuredRoot) {
    this.commands = commands;
    this.mountTable = mountTable;
    this.configuredRoot = configuredRoot;
  }

  /** Creates a new staging point: an empty directory, or an empty file for a file bind. */
  Path create(boolean directory) throws IOException {
    Path stagingRoot = root();
    return directory
        ? Files.createTempDirectory(stagingRoot, "bind-")
        : Files.createTempFile(stagingRoot, "bind-", "");
  }

  /**
   * Unmounts the staging point if it is mounted and deletes it. Failures are logged, not
   * raised, because the bind itself is already done or has failed for another reason. The next
   * start of rktlet removes what is left.
   */
  void discard(Path stagingPoint) {
    try {
      if (mountTable.mountAt(stagingPoint).isPresent()) {
        // Lazy: detaches the mounts that --rbind brought along below it as well.
        commands.run("umount", "-l", stagingPoint.toString());
      }
      Files.deleteIfExists(stagingPoint);
    } catch (IOException | RuntimeException e) {
      log.warn("Failed to remove mount staging point {}: {}", stagingPoint, e.toString());
    }
  }

  private Path root() throws IOException {
    synchronized (lock) {
      if (root == null) {
        root = prepareRoot();
      }
      return root;
    }
  }

  /** Creates the root (mode 0700), makes it a private mount point and removes leftovers. */
  private Path prepareRoot() throws IOException {
    if (!Files.exists(configuredRoot)) {
      Files.createDirectories(configuredRoot);
      Files.setPosixFilePermissions(configuredRoot, PosixFilePermissions.fromString("rwx------"));
    }
    Path path = configuredRoot.toRealPath();
    Optional<MountInfo> mount = mountTable.mountAt(path);
    if (mount.isEmpty()) {
      commands.run("mount", "--bind", path.toString(), path.toString());
    }
    if (mount.isEmpty() || !mount.get().optionalFields().isEmpty()) {
      commands.run("mount", "--make-rprivate", path.toString());
      log.info("Made mount staging directory {} a private mount point", path);
    }
    removeLeftovers(path);
    return path;
  }

  /** Unmounts and deletes staging points that an earlier run of rktlet left behind. */
  private void removeLeftovers(Path stagingRoot) throws IOException {
    for (MountInfo mount : mountTable.mountsUnder(stagingRoot)) {
      if (!mount.mountPoint().equals(stagingRoot)) {
        commands.run("umount", "-l", mount.mountPoint().toString());
        log.info("Unmounted leftover mount staging point {}", mount.mountPoint());
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(stagingRoot)) {
      for (Path entry : entries) {
        // Not recursive: a non-empty entry may still show a host directory, which must survive.
        try {
          Files.delete(entry);
        } catch (IOException e) {
          log.warn("Failed to delete leftover mount staging entry {}: {}", entry, e.toString());
        }
      }
    }
  }
}
