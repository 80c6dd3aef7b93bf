package io.rktlet.container;

import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.host.Mounter;
import io.rktlet.host.RootfsPaths;
import io.rktlet.security.BindInstruction;
import io.rktlet.security.DeviceBind;
import io.rktlet.security.SecurityPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every bind mount rktlet makes for an app between {@code rkt app add} and {@code rkt app
 * start}: the container's log directory into its container directory, the volumes, the
 * container directory itself at {@code /.rktlet}, masked and read-only paths, and devices.
 */
final class AppMounts {
  private final Mounter mounter;
  private final VolumeBinder volumes;
  private final Path emptyDirectory;

  /** @param emptyDirectory an empty, read-only host directory bound over masked directories */
  AppMounts(Mounter mounter, VolumeBinder volumes, Path emptyDirectory) {
    this.mounter = mounter;
    this.volumes = volumes;
    this.emptyDirectory = emptyDirectory;
  }

  /**
   * Makes the mounts and returns their targets in the order made; on failure the mounts made
   * so far are undone before the exception propagates.
   *
   * @param logPath the container's log file on the host, or null for no log
   */
  List<String> mount(String containerId, ContainerConfig config, SecurityPlan plan,
      ContainerDirectory dir, String logPath, Path rootfs) throws IOException {
    List<String> targets = new ArrayList<>();
    try {
      if (logPath != null) {
        // The directory, not the file: after the kubelet rotates the log, the supervisor
        // creates the new file by name in the same directory.
        bind(Path.of(logPath).getParent(), dir.logDirectory(), false, targets);
      }
      targets.addAll(volumes.bind(containerId, config.getMountsList(), rootfs));
      Path mountPoint = RootfsPaths.resolve(rootfs, ContainerDirectory.MOUNT_POINT);
      RootfsPaths.ensureTarget(mountPoint, true);
      bind(dir.path(), mountPoint, false, targets);
      for (BindInstruction restriction : BindInstruction.forRootfs(plan.pathRestrictions(),
          rootfs, emptyDirectory)) {
        bind(restriction.source(), restriction.target(), restriction.readOnly(), targets);
      }
      for (DeviceBind device : plan.devices()) {
        Path target = RootfsPaths.resolve(rootfs, device.containerPath());
        RootfsPaths.ensureTarget(target, false);
        bind(device.hostPath(), target, false, targets);
      }
    } catch (IOException | RuntimeException e) {
      volumes.unbind(containerId, targets);
      throw e;
    }
    return targets;
  }

  private void bind(Path source, Path target, boolean readOnly, List<String> targets)
      throws IOException {
    Files.createDirectories(emptyDirectory);
    mounter.bind(source, target, readOnly, Mounter.Propagation.PRIVATE);
    targets.add(target.toString());
  }
}
