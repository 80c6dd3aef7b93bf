package io.rktlet.container;

import io.rktlet.cgroups.CgroupDirs;
import io.rktlet.cgroups.PodCgroup;
import io.rktlet.cgroups.PodCgroups;
import io.rktlet.cgroups.ResourceWriter;
import io.rktlet.cri.v1.LinuxContainerConfig;
import io.rktlet.cri.v1.UpdateContainerResourcesRequest;
import io.rktlet.cri.v1.UpdatePodSandboxResourcesRequest;
import io.rktlet.errors.CriException;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns UpdateContainerResources and UpdatePodSandboxResources: applies new limits to live
 * cgroups, all or nothing, and fails with the fields that the cgroup cannot take. An app's own
 * cgroup is its cgroup2 unit, which on a hybrid host has no resource controllers, so container
 * limits mostly apply only on pure cgroup v2 hosts; pod limits go to the pod's cgroup.
 */
public final class ResourceUpdates {
  private static final Logger log = LoggerFactory.getLogger(ResourceUpdates.class);

  private final StateIndex index;
  private final ContainerStore records;
  private final AppPaths paths;
  private final PodCgroups cgroups;

  public ResourceUpdates(StateIndex index, ContainerStore records, AppPaths paths,
      PodCgroups cgroups) {
    this.index = index;
    this.records = records;
    this.paths = paths;
    this.cgroups = cgroups;
  }

  public void updateContainerResources(UpdateContainerResourcesRequest request) {
    if (!request.hasLinux()) {
      throw CriException.invalidArgument("linux must be set; rktlet runs Linux containers only");
    }
    ContainerRecord found = index.findContainer(request.getContainerId()).orElseThrow(
        () -> CriException.notFound("container " + request.getContainerId() + " not found"));
    records.locks().withLock(found.id(), () -> {
      ContainerRecord record = index.container(found.id()).orElseThrow();
      if (record.phase() == ContainerRecord.Phase.RUNNING) {
        SandboxRecord sandbox = index.sandbox(record.sandboxId()).orElseThrow();
        Path cgroup = appCgroup(sandbox, record).orElseThrow(() -> CriException
            .failedPrecondition("container " + record.id() + " has no cgroup of its own on "
                + "this host to apply resources to"));
        write(CgroupDirs.v2(cgroup), request, record.id());
      } else if (record.phase() != ContainerRecord.Phase.CREATED) {
        throw CriException.failedPrecondition("container " + record.id() + " has exited; "
            + "its resources cannot change");
      }
      LinuxContainerConfig linux = record.config().getLinux().toBuilder()
          .setResources(request.getLinux()).build();
      records.save(record.withConfig(record.config().toBuilder().setLinux(linux).build()));
      log.info("Updated the resources of container {}", record.id());
    });
  }

  public void updatePodSandboxResources(UpdatePodSandboxResourcesRequest request) {
    SandboxRecord sandbox = index.findSandbox(request.getPodSandboxId()).orElseThrow(
        () -> CriException.notFound("sandbox " + request.getPodSandboxId() + " not found"));
    if (!request.hasResources()) {
      return;
    }
    PodCgroup cgroup = cgroups.of(sandbox).orElseThrow(() -> CriException.failedPrecondition(
        "sandbox " + sandbox.id() + " has no cgroup on this host"));
    try {
      ResourceWriter.apply(cgroup.dirs(), request.getResources(), "resources");
    } catch (IOException e) {
      throw CriException.unknown("failed to update the resources of sandbox " + sandbox.id(),
          e);
    }
    log.info("Updated the resources of sandbox {}", sandbox.id());
  }

  private void write(CgroupDirs dirs, UpdateContainerResourcesRequest request, String id) {
    try {
      ResourceWriter.apply(dirs, request.getLinux(), "linux");
    } catch (IOException e) {
      throw CriException.unknown("failed to update the resources of container " + id, e);
    }
  }

  private Optional<Path> appCgroup(SandboxRecord sandbox, ContainerRecord record) {
    for (String hierarchy : new String[] {"unified", ""}) {
      Path cgroup = paths.appCgroup(hierarchy, sandbox.rktUuid(), record.appName());
      if (Files.isRegularFile(cgroup.resolve("cgroup.controllers"))) {
        return Optional.of(cgroup);
      }
    }
    return Optional.empty();
  }
}
