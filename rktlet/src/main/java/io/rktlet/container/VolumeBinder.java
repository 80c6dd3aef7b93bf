package io.rktlet.container;

import io.rktlet.cri.v1.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Makes a container's volume mounts inside its app's root filesystem, and undoes them. */
public interface VolumeBinder {

  /**
   * Bind-mounts each host path to its container path under {@code rootfs} and returns the host
   * paths of the mount targets, in the order made. On failure, the mounts made so far are
   * undone before the exception propagates.
   */
  List<String> bind(String containerId, List<Mount> mounts, Path rootfs) throws IOException;

  /** Unmounts the given targets, deepest first; targets that are not mounted are skipped. */
  void unbind(String containerId, List<String> targets);
}
