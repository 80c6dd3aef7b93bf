package io.rktlet.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Mount operations rktlet performs on the host: bind mounts into an app's root filesystem
 * (which reach the pod because rkt's data directory is a shared mount) and the set-up of that
 * shared mount.
 */
public interface Mounter {

  /** Mount propagation of a bind mount, as the CRI names it. */
  enum Propagation {
    PRIVATE,
    HOST_TO_CONTAINER,
    BIDIRECTIONAL
  }

  /**
   * Bind-mounts {@code source} onto {@code target}, which must exist and be of the same kind
   * (directory or file). A read-only mount is made read-only before it is bound into place,
   * because remounting the final target read-only does not reach the pod's copy of it.
   */
  void bind(Path source, Path target, boolean readOnly, Propagation propagation)
      throws IOException;

  /** Detaches the mount at {@code target} (lazily, so busy mounts do not fail). */
  void unmount(Path target) throws IOException;

  /** Returns the mount points at or below {@code directory}, deepest first. */
  List<Path> mountsUnder(Path directory) throws IOException;

  /**
   * Makes {@code directory} a shared mount point ({@code mount --bind D D; mount
   * --make-rshared D}) unless it already is one. Returns true when it changed anything.
   */
  boolean ensureSharedMount(Path directory) throws IOException;
}
