package io.rktlet.cgroups;

import io.rktlet.config.CgroupDriver;
import io.rktlet.state.SandboxRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup of each pod, which rktlet creates (cgroupfs driver) or systemd creates for the
 * pod's transient unit (systemd driver), so pod limits, accounting and OOM detection work even
 * where rkt's isolators have no effect. Its path follows from the sandbox's cgroup parent and
 * ID, so nothing about it needs storing.
 */
public final class PodCgroups {
  private static final Logger log = LoggerFactory.getLogger(PodCgroups.class);

  /** The systemd launcher's unit prefix; the unit's cgroup is the pod's. */
  private static final String SYSTEMD_UNIT_PREFIX = "rktlet-pod-";

  private final CgroupLayout layout;
  private final CgroupDriver driver;

  /** @param layout the host's cgroup hierarchies, or null when none could be found */
  public PodCgroups(CgroupLayout layout, CgroupDriver driver) {
    this.layout = layout;
    this.driver = driver;
  }

  /**
   * Returns the pod's cgroup, or empty when the host has no usable cgroup hierarchy.
   *
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for an invalid cgroup parent
   */
  public Optional<PodCgroup> of(SandboxRecord sandbox) {
    // The name comes first, so an invalid cgroup parent is rejected on every host.
    String parent = sandbox.config().getLinux().getCgroupParent();
    PodCgroupName name = driver == CgroupDriver.SYSTEMD
        ? PodCgroupName.forSystemdUnit(parent,
            SYSTEMD_UNIT_PREFIX + sandbox.id().substring(0, 16) + ".service")
        : PodCgroupName.forSandbox(PodCgroupName.CgroupDriver.CGROUPFS, parent, sandbox.id());
    if (layout == null) {
      return Optional.empty();
    }
    return Optional.of(new PodCgroup(layout, name));
  }

  /**
   * Creates the pod's cgroup when rktlet manages it and returns the {@code cgroup.procs} files
   * the pod process must join; empty when systemd creates it or there is none.
   */
  public List<Path> prepare(SandboxRecord sandbox) throws IOException {
    if (driver == CgroupDriver.SYSTEMD) {
      return List.of();
    }
    Optional<PodCgroup> cgroup = of(sandbox);
    if (cgroup.isEmpty()) {
      return List.of();
    }
    cgroup.get().create();
    return cgroup.get().procsFiles();
  }

  /**
   * Writes the sandbox config's {@code linux.resources} (the kubelet's sum of the containers'
   * limits) into the pod's cgroup, because the apps' own limits confine nothing under rkt.
   *
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT naming the fields the cgroup cannot
   *     take, before anything is written
   * @throws IOException when a write fails
   */
  public void applyResources(SandboxRecord sandbox) throws IOException {
    if (!sandbox.config().getLinux().hasResources()) {
      return;
    }
    Optional<PodCgroup> cgroup = of(sandbox);
    if (cgroup.isEmpty()) {
      log.warn("Sandbox {} has resource limits but the host has no cgroup hierarchy to apply "
          + "them to", sandbox.id());
      return;
    }
    ResourceWriter.apply(cgroup.get().dirs(), sandbox.config().getLinux().getResources(),
        "config.linux.resources");
    log.info("Applied config.linux.resources to the cgroup of sandbox {}", sandbox.id());
  }

  /** Removes the pod's cgroup when rktlet created it; failures are logged, not raised. */
  public void remove(SandboxRecord sandbox) {
    if (driver == CgroupDriver.SYSTEMD) {
      return;
    }
    try {
      Optional<PodCgroup> cgroup = of(sandbox);
      if (cgroup.isPresent()) {
        cgroup.get().remove();
      }
    } catch (IOException | RuntimeException e) {
      // A record kept from before cgroup parents were checked may name an invalid one.
      log.warn("Failed to remove the cgroup of sandbox {}: {}", sandbox.id(), e.getMessage());
    }
  }
}
