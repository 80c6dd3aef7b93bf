package io.rktlet.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bind mount the caller makes from the host into an app's root filesystem between
 * {@code rkt app add} and {@code rkt app start}, for example with
 * {@link io.rktlet.host.Mounter#bind}.
 *
 * @param source host path to bind
 * @param target host path under the app's root filesystem; it exists
 * @param readOnly whether the bind is read-only
 * @param restriction the restriction this bind carries out
 */
public record BindInstruction(
    Path source, Path target, boolean readOnly, PathRestriction restriction) {

  /** Host path bound over a masked file. */
  public static final Path DEV_NULL = Path.of("/dev/null");

  /**
   * Turns masked and read-only paths into binds under {@code appRootfs}: a masked directory
   * gets {@code emptyDirectory} bound read-only over it, any other masked file /dev/null, and a
   * read-only path is bound read-only onto itself. Paths are resolved as the container would
   * resolve them, so a symbolic link in the image cannot send a bind to a host path.
   *
   * <p>Skipped, and left to the caller: paths inside /proc, /sys and /dev (see
   * {@link PathRestriction#onApiFilesystem()}), and paths that do not exist in the image, which
   * have nothing to hide or protect.
   *
   * @param emptyDirectory an empty host directory that nothing writes to
   * @throws IOException when a path cannot be resolved (a symbolic link loop, or a file where
   *     a directory is expected)
   */
  public static List<BindInstruction> forRootfs(List<PathRestriction> restrictions,
      Path appRootfs, Path emptyDirectory) throws IOException {
    List<BindInstruction> binds = new ArrayList<>();
    for (PathRestriction restriction : restrictions) {
      if (restriction.onApiFilesystem()) {
        continue;
      }
      Path target = io.rktlet.host.RootfsPaths.resolve(appRootfs, restriction.containerPath());
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (restriction.kind() == PathRestriction.Kind.READ_ONLY) {
        binds.add(new BindInstruction(target, target, true, restriction));
      } else if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        binds.add(new BindInstruction(emptyDirectory, target, true, restriction));
      } else {
        binds.add(new BindInstruction(DEV_NULL, target, false, restriction));
      }
    }
    return binds;
  }
}
