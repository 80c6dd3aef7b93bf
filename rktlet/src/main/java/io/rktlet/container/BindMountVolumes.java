package io.rktlet.container;

import io.rktlet.cri.v1.Mount;
import io.rktlet.host.Mounter;
import io.rktlet.host.RootfsPaths;
import io.rktlet.security.MountPropagationPolicy;
import io.rktlet.validation.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as bind mounts that rktlet makes into the app's root filesystem between {@code rkt
 * app add} and {@code rkt app start}; rkt's own {@code --mnt-volume} fails on hosts whose
 * systemd-nspawn uses a newer incoming-mount directory.
 */
public final class BindMountVolumes implements VolumeBinder {
  private static final Logger log = LoggerFactory.getLogger(BindMountVolumes.class);

  private final Mounter mounter;

  public BindMountVolumes(Mounter mounter) {
    this.mounter = mounter;
  }

  @Override
  public List<String> bind(String containerId, List<Mount> mounts, Path rootfs)
      throws IOException {
    List<String> targets = new ArrayList<>();
    try {
      for (int i = 0; i < mounts.size(); i++) {
        targets.add(bindOne(containerId, "config.mounts[" + i + "]", mounts.get(i), rootfs));
      }
    } catch (IOException | RuntimeException e) {
      unbind(containerId, targets);
      throw e;
    }
    return targets;
  }

  private String bindOne(String containerId, String field, Mount mount, Path rootfs)
      throws IOException {
    Path source;
    try {
      // Kubernetes follows symlinks in host paths; the real path is what gets mounted.
      source = Path.of(mount.getHostPath()).toRealPath();
    } catch (NoSuchFileException e) {
      throw Check.invalid(field + ".host_path", mount.getHostPath(), "does not exist");
    }
    Path target = RootfsPaths.resolve(rootfs, mount.getContainerPath());
    RootfsPaths.ensureTarget(target, Files.isDirectory(source));
    mounter.bind(source, target, mount.getReadonly(), propagation(field, mount));
    log.debug("Container {}: bound {} to {}{}", containerId, source, target,
        mount.getReadonly() ? " read-only" : "");
    return target.toString();
  }

  private static Mounter.Propagation propagation(String field, Mount mount) {
    return MountPropagationPolicy.of(mount.getPropagation(), field);
  }


  @Override
  public void unbind(String containerId, List<String> targets) {
    targets.stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .forEach(target -> {
          try {
            mounter.unmount(Path.of(target));
          } catch (IOException e) {
            log.warn("Container {}: cannot unmount {}: {}", containerId, target, e.toString());
          }
        });
  }
}
