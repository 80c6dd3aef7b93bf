package io.rktlet.stats;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cri.v1.ContainerAttributes;
import io.rktlet.cri.v1.ContainerStats;
import io.rktlet.cri.v1.LinuxPodSandboxStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a container's or pod's stats together from the readers of this package.
 *
 * <p>A container's CPU comes from {@code cpu.stat} of its app's cgroup2 directory (on a hybrid
 * host {@code /sys/fs/cgroup/unified/<pod machine scope>/payload/system.slice/<app>.service};
 * a host with only cgroup v1 keeps no per-app CPU time, so none is reported there), its memory
 * from the processes of that cgroup ({@link ProcessMemoryReader}), and its writable layer from
 * the app's overlay upper directory ({@link RktOverlayPaths}). A pod's CPU and memory come from
 * the pod cgroup rktlet created, which every process of the pod inherits.
 */
public final class ContainerStatsReader {
  private static final Logger log = LoggerFactory.getLogger(ContainerStatsReader.class);

  private final CpuStatsReader cpu;
  private final MemoryStatsReader memory;
  private final ProcessMemoryReader processes;
  private final FilesystemUsageReader filesystems;

  public ContainerStatsReader(CpuStatsReader cpu, MemoryStatsReader memory,
      ProcessMemoryReader processes, FilesystemUsageReader filesystems) {
    this.cpu = cpu;
    this.memory = memory;
    this.processes = processes;
    this.filesystems = filesystems;
  }

  /**
   * Returns a container's stats. Parts whose source does not exist, such as the cgroup of an
   * app that is not running, are left out.
   *
   * @param appCgroup the app's unit cgroup in the cgroup2 tree (or in systemd's v1 hierarchy on a
   *     host without cgroup2, which gives memory but no CPU)
   * @param writableLayer the app's overlay upper directory, or null when unknown
   * @throws IOException when a source exists but cannot be read
   */
  public ContainerStats container(ContainerAttributes attributes, Path appCgroup,
      Path writableLayer) throws IOException {
    ContainerStats.Builder stats = ContainerStats.newBuilder().setAttributes(attributes);
    if (Files.isRegularFile(appCgroup.resolve("cpu.stat"))) {
      stats.setCpu(cpu.read(CgroupDirs.v2(appCgroup)));
    }
    if (Files.isDirectory(appCgroup)) {
      stats.setMemory(processes.readCgroup(appCgroup));
    }
    if (writableLayer != null) {
      try {
        stats.setWritableLayer(filesystems.usage(writableLayer));
      } catch (NoSuchFileException e) {
        log.debug("Container {} has no writable layer at {}", attributes.getId(), writableLayer);
      }
    }
    return stats.build();
  }

  /**
   * Returns a pod's Linux stats from its pod cgroup, with the given container stats.
   *
   * @throws IOException when the pod cgroup's files cannot be read
   */
  public LinuxPodSandboxStats pod(CgroupDirs podCgroup, List<ContainerStats> containers)
      throws IOException {
    return LinuxPodSandboxStats.newBuilder()
        .setCpu(cpu.read(podCgroup))
        .setMemory(memory.read(podCgroup))
        .addAllContainers(containers)
        .build();
  }
}
