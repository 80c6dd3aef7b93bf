package io.rktlet.stats;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.PodCgroup;
import io.rktlet.container.AppPaths;
import io.rktlet.cri.v1.ContainerAttributes;
import io.rktlet.cri.v1.ContainerStats;
import io.rktlet.cri.v1.ContainerStatsFilter;
import io.rktlet.cri.v1.ContainerStatsRequest;
import io.rktlet.cri.v1.ContainerStatsResponse;
import io.rktlet.cri.v1.ListContainerStatsRequest;
import io.rktlet.cri.v1.ListContainerStatsResponse;
import io.rktlet.cri.v1.ListPodSandboxStatsRequest;
import io.rktlet.cri.v1.ListPodSandboxStatsResponse;
import io.rktlet.cri.v1.LinuxPodSandboxStats;
import io.rktlet.cri.v1.NetworkUsage;
import io.rktlet.cri.v1.PodSandboxAttributes;
import io.rktlet.cri.v1.PodSandboxStats;
import io.rktlet.cri.v1.PodSandboxStatsFilter;
import io.rktlet.cri.v1.PodSandboxStatsRequest;
import io.rktlet.cri.v1.PodSandboxStatsResponse;
import io.rktlet.cri.v1.ProcessUsage;
import io.rktlet.errors.CriException;
import io.rktlet.cgroups.PodCgroups;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the stats calls. Figures come from cgroup and /proc files, never from rkt: CPU from the
 * app's cgroup2 unit, memory from the app's processes (apps have no memory cgroup of their
 * own, see {@link ProcessMemoryReader}), the writable layer from the app's overlay upper
 * directory, and pod figures from the pod's own cgroup.
 */
public final class StatsService {
  private static final Logger log = LoggerFactory.getLogger(StatsService.class);

  private final StateIndex index;
  private final AppPaths paths;
  private final PodCgroups cgroups;
  private final ContainerStatsReader reader;
  private final RktOverlayPaths overlays;
  private final PodNetworkReader network;
  private final CpuUsageRate rates = new CpuUsageRate();
  private final NanoClock clock;

  public StatsService(StateIndex index, AppPaths paths, PodCgroups cgroups, Path rktDataDir,
      NanoClock clock) {
    this.index = index;
    this.paths = paths;
    this.cgroups = cgroups;
    this.clock = clock;
    FilesystemUsageReader filesystems =
        new FilesystemUsageReader(FilesystemUsageReader.PROC_SELF_MOUNTINFO, clock);
    this.reader = new ContainerStatsReader(new CpuStatsReader(clock),
        new MemoryStatsReader(clock),
        new ProcessMemoryReader(Path.of("/proc"), ProcessMemoryReader.DEFAULT_PAGE_SIZE, clock),
        filesystems);
    this.overlays = new RktOverlayPaths(rktDataDir);
    this.network = new PodNetworkReader(Path.of("/proc"));
  }

  public ContainerStatsResponse containerStats(ContainerStatsRequest request) {
    ContainerRecord record = index.findContainer(request.getContainerId()).orElseThrow(
        () -> CriException.notFound("container " + request.getContainerId() + " not found"));
    return ContainerStatsResponse.newBuilder().setStats(stats(record)).build();
  }

  /** Returns the stats of the running containers that match the filter. */
  public ListContainerStatsResponse listContainerStats(ListContainerStatsRequest request) {
    ContainerStatsFilter filter = request.getFilter();
    ListContainerStatsResponse.Builder response = ListContainerStatsResponse.newBuilder();
    for (ContainerRecord record : index.containers()) {
      if (record.phase() == ContainerRecord.Phase.RUNNING && matches(record, filter)) {
        response.addStats(stats(record));
      }
    }
    return response.build();
  }

  public PodSandboxStatsResponse podSandboxStats(PodSandboxStatsRequest request) {
    SandboxRecord sandbox = index.findSandbox(request.getPodSandboxId()).orElseThrow(
        () -> CriException.notFound("sandbox " + request.getPodSandboxId() + " not found"));
    return PodSandboxStatsResponse.newBuilder().setStats(stats(sandbox)).build();
  }

  /** Returns the stats of the ready sandboxes that match the filter. */
  public ListPodSandboxStatsResponse listPodSandboxStats(ListPodSandboxStatsRequest request) {
    PodSandboxStatsFilter filter = request.getFilter();
    ListPodSandboxStatsResponse.Builder response = ListPodSandboxStatsResponse.newBuilder();
    for (SandboxRecord sandbox : index.sandboxes()) {
      if (sandbox.phase() == SandboxRecord.Phase.READY
          && (filter.getId().isEmpty() || sandbox.id().startsWith(filter.getId()))
          && labelsMatch(sandbox.config().getLabelsMap(), filter.getLabelSelectorMap())) {
        response.addStats(stats(sandbox));
      }
    }
    return response.build();
  }

  private ContainerStats stats(ContainerRecord record) {
    ContainerAttributes attributes = ContainerAttributes.newBuilder()
        .setId(record.id())
        .setMetadata(record.config().getMetadata())
        .putAllLabels(record.config().getLabelsMap())
        .putAllAnnotations(record.config().getAnnotationsMap())
        .build();
    SandboxRecord sandbox = index.sandbox(record.sandboxId()).orElse(null);
    if (sandbox == null || sandbox.rktUuid() == null
        || record.phase() != ContainerRecord.Phase.RUNNING) {
      return ContainerStats.newBuilder().setAttributes(attributes).build();
    }
    try {
      ContainerStats stats = reader.container(attributes, appCgroup(sandbox, record),
          writableLayer(sandbox, record));
      if (stats.hasCpu()) {
        stats = stats.toBuilder().setCpu(rates.withRate(record.id(), stats.getCpu())).build();
      }
      return stats;
    } catch (IOException e) {
      log.warn("Cannot read the stats of container {}: {}", record.id(), e.toString());
      return ContainerStats.newBuilder().setAttributes(attributes).build();
    }
  }

  private PodSandboxStats stats(SandboxRecord sandbox) {
    PodSandboxStats.Builder stats = PodSandboxStats.newBuilder()
        .setAttributes(PodSandboxAttributes.newBuilder()
            .setId(sandbox.id())
            .setMetadata(sandbox.config().getMetadata())
            .putAllLabels(sandbox.config().getLabelsMap())
            .putAllAnnotations(sandbox.config().getAnnotationsMap()));
    List<ContainerStats> containers = new ArrayList<>();
    for (ContainerRecord record : index.containersOf(sandbox.id())) {
      if (record.phase() == ContainerRecord.Phase.RUNNING) {
        containers.add(stats(record));
      }
    }
    LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder()
        .addAllContainers(containers);
    Optional<PodCgroup> cgroup = cgroups.of(sandbox);
    if (cgroup.isPresent() && sandbox.phase() == SandboxRecord.Phase.READY) {
      try {
        LinuxPodSandboxStats fromCgroup = reader.pod(cgroup.get().dirs(), containers);
        linux.setCpu(rates.withRate(sandbox.id(), fromCgroup.getCpu()))
            .setMemory(fromCgroup.getMemory());
        linux.setProcess(processes(cgroup.get()));
      } catch (IOException e) {
        log.warn("Cannot read the cgroup stats of sandbox {}: {}", sandbox.id(), e.toString());
      }
    }
    if (sandbox.podPid() > 0 && !sandbox.isHostNetwork()) {
      NetworkUsage usage = network.read(sandbox.podPid(), clock.nowNanos());
      if (usage != null) {
        linux.setNetwork(usage);
      }
    }
    return stats.setLinux(linux).build();
  }

  private ProcessUsage processes(PodCgroup cgroup) throws IOException {
    long count = 0;
    List<Path> directories = cgroup.directories();
    if (!directories.isEmpty()) {
      try (var procs = Files.walk(directories.get(0))) {
        for (Path file : (Iterable<Path>) procs
            .filter(path -> path.getFileName().toString().equals("cgroup.procs"))::iterator) {
          count += Files.readAllLines(file).stream().filter(line -> !line.isBlank()).count();
        }
      }
    }
    return ProcessUsage.newBuilder()
        .setTimestamp(clock.nowNanos())
        .setProcessCount(MemoryStatsReader.value(count))
        .build();
  }

  private Path appCgroup(SandboxRecord sandbox, ContainerRecord record) {
    Path unified = paths.appCgroup("unified", sandbox.rktUuid(), record.appName());
    if (Files.isDirectory(unified)) {
      return unified;
    }
    Path pureV2 = paths.appCgroup("", sandbox.rktUuid(), record.appName());
    return Files.isDirectory(pureV2) ? pureV2
        : paths.appCgroup("systemd", sandbox.rktUuid(), record.appName());
  }

  private Path writableLayer(SandboxRecord sandbox, ContainerRecord record) {
    try {
      return overlays.upperDir(sandbox.rktUuid(), record.appName());
    } catch (IOException e) {
      // rkt records the app's tree store only for real overlay apps; the test double has none.
      return null;
    }
  }

  private static boolean matches(ContainerRecord record, ContainerStatsFilter filter) {
    return (filter.getId().isEmpty() || record.id().startsWith(filter.getId()))
        && (filter.getPodSandboxId().isEmpty()
            || record.sandboxId().startsWith(filter.getPodSandboxId()))
        && labelsMatch(record.config().getLabelsMap(), filter.getLabelSelectorMap());
  }

  private static boolean labelsMatch(Map<String, String> labels, Map<String, String> selector) {
    return selector.entrySet().stream()
        .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
  }
}
