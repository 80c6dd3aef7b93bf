package io.rktlet.host;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Resolves paths inside an app's root filesystem the way the kernel would after a chroot into
 * it, so that a symbolic link in an image can never send a bind mount to a host path.
 */
public final class RootfsPaths {
  /** The kernel's limit on symbolic links followed in one lookup (MAXSYMLINKS in Linux). */
  static final int MAX_SYMLINKS = 40;

  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private RootfsPaths() {}

  /**
   * Resolves the absolute {@code containerPath} under {@code rootfs}, looking up each component
   * there. A symbolic link's target is read as a container path: an absolute target starts again
   * at {@code rootfs}, and a relative one continues from the link's directory. A {@code ..}
   * component stops at {@code rootfs} instead of climbing above it. Components that do not
   * exist yet are kept as they are. The result is {@code rootfs} or a path below it, and none of
   * its existing components is a symbolic link.
   *
   * @throws IllegalArgumentException when {@code containerPath} is not absolute
   * @throws FileSystemException when an existing component other than the last is not a
   *     directory, or when more than 40 symbolic links are followed (a loop)
   */
  public static Path resolve(Path rootfs, String containerPath) throws IOException {
    if (!containerPath.startsWith("/")) {
      throw new IllegalArgumentException(
          "container path must be absolute (start with /): " + containerPath);
    }
    Path root = rootfs.toAbsolutePath().normalize();
    Deque<String> pending = new ArrayDeque<>();
    pushComponents(pending, containerPath);
    List<String> resolved = new ArrayList<>();
    int symlinksFollowed = 0;
    while (!pending.isEmpty()) {
      String component = pending.pop();
      if (component.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      Path candidate = join(root, resolved).resolve(component);
      BasicFileAttributes attributes = attributesOrNull(candidate);
      if (attributes != null && attributes.isSymbolicLink()) {
        symlinksFollowed++;
        if (symlinksFollowed > MAX_SYMLINKS) {
          throw new FileSystemException(containerPath, null, "too many levels of symbolic links "
              + "(more than " + MAX_SYMLINKS + ") under " + root);
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          resolved.clear();
        }
        pushComponents(pending, target);
        continue;
      }
      if (attributes != null && !attributes.isDirectory() && !pending.isEmpty()) {
        throw new FileSystemException(candidate.toString(), null,
            "not a directory, but container path " + containerPath + " continues below it");
      }
      resolved.add(component);
    }
    return join(root, resolved);
  }

  /**
   * Creates what a bind mount needs at {@code resolved}: the missing directories (mode 0755)
   * and, when {@code directory} is false, an empty file (mode 0644). An existing target of the
   * right kind is left alone. {@code resolved} must come from {@link #resolve}, so that no
   * existing component is a symbolic link.
   *
   * @throws FileAlreadyExistsException when the target exists but is of the other kind
   */
  public static void ensureTarget(Path resolved, boolean directory) throws IOException {
    BasicFileAttributes existing = attributesOrNull(resolved);
    if (existing != null) {
      if (existing.isDirectory() != directory || existing.isSymbolicLink()) {
        throw new FileAlreadyExistsException(resolved.toString(), null,
            "mount target exists but is not a " + (directory ? "directory" : "file"));
      }
      return;
    }
    createDirectories(directory ? resolved : resolved.getParent());
    if (!directory) {
      // createFile opens with O_CREAT|O_EXCL, which fails on any existing entry, a dangling
      // symbolic link included, so it never creates a file through a link.
      Files.createFile(resolved);
      Files.setPosixFilePermissions(resolved, FILE_MODE);
    }
  }

  /** Creates each missing directory on the way to {@code directory}, top down, with mode 0755. */
  private static void createDirectories(Path directory) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    Path current = directory;
    while (current != null && attributesOrNull(current) == null) {
      missing.push(current);
      current = current.getParent();
    }
    if (current != null && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileSystemException(current.toString(), null,
          "not a directory, so the mount target cannot be created below it");
    }
    for (Path path : missing) {
      Files.createDirectory(path);
      // Set the mode explicitly, because mkdir(2) applies rktlet's umask.
      Files.setPosixFilePermissions(path, DIRECTORY_MODE);
    }
  }

  /** Pushes the components of {@code path} in front of the pending ones, in order. */
  private static void pushComponents(Deque<String> pending, String path) {
    String[] components = path.split("/");
    for (int i = components.length - 1; i >= 0; i--) {
      String component = components[i];
      if (!component.isEmpty() && !component.equals(".")) {
        pending.push(component);
      }
    }
  }

  private static Path join(Path root, List<String> components) {
    Path path = root;
    for (String component : components) {
      path = path.resolve(component);
    }
    return path;
  }

  private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
