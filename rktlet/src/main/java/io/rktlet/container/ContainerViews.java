package io.rktlet.container;

import io.rktlet.cri.v1.Container;
import io.rktlet.cri.v1.ContainerFilter;
import io.rktlet.cri.v1.ContainerResources;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.ContainerStatus;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.state.ContainerRecord;
import java.util.Map;

/** Turns container records into CRI messages and matches them against filters. */
public final class ContainerViews {
  private ContainerViews() {}

  static ContainerState state(ContainerRecord record) {
    switch (record.phase()) {
      case CREATED:
        return ContainerState.CONTAINER_CREATED;
      case RUNNING:
        return ContainerState.CONTAINER_RUNNING;
      case EXITED:
        return ContainerState.CONTAINER_EXITED;
      default:
        return ContainerState.CONTAINER_UNKNOWN;
    }
  }

  /** Returns the digest reference of the container's image, or its ID when none is known. */
  static String imageRef(ContainerRecord record, String repoDigest) {
    return repoDigest != null ? repoDigest : record.imageId();
  }

  public static ContainerStatus status(ContainerRecord record, String repoDigest) {
    ContainerStatus.Builder status = ContainerStatus.newBuilder()
        .setId(record.id())
        .setMetadata(record.config().getMetadata())
        .setState(state(record))
        .setCreatedAt(record.times().createdAtNanos())
        .setStartedAt(record.times().startedAtNanos())
        .setFinishedAt(record.times().finishedAtNanos())
        .setExitCode(record.exit().code())
        .setImage(ImageSpec.newBuilder().setImage(record.imageRef()))
        .setImageRef(imageRef(record, repoDigest))
        .setImageId(record.imageId())
        .setReason(record.exit().reason())
        .setMessage(record.exit().message())
        .putAllLabels(record.config().getLabelsMap())
        .putAllAnnotations(record.config().getAnnotationsMap())
        .addAllMounts(record.config().getMountsList())
        .setStopSignal(record.config().getStopSignal());
    if (record.logPath() != null) {
      status.setLogPath(record.logPath());
    }
    if (record.config().getLinux().hasResources()) {
      status.setResources(ContainerResources.newBuilder()
          .setLinux(record.config().getLinux().getResources()));
    }
    return status.build();
  }

  static Container summary(ContainerRecord record, String repoDigest) {
    return Container.newBuilder()
        .setId(record.id())
        .setPodSandboxId(record.sandboxId())
        .setMetadata(record.config().getMetadata())
        .setImage(ImageSpec.newBuilder().setImage(record.imageRef()))
        .setImageRef(imageRef(record, repoDigest))
        .setImageId(record.imageId())
        .setState(state(record))
        .setCreatedAt(record.times().createdAtNanos())
        .putAllLabels(record.config().getLabelsMap())
        .putAllAnnotations(record.config().getAnnotationsMap())
        .build();
  }

  /** True when the record matches every field the filter sets. */
  static boolean matches(ContainerRecord record, ContainerFilter filter) {
    if (!filter.getId().isEmpty() && !record.id().startsWith(filter.getId())) {
      return false;
    }
    if (!filter.getPodSandboxId().isEmpty()
        && !record.sandboxId().startsWith(filter.getPodSandboxId())) {
      return false;
    }
    if (filter.hasState() && filter.getState().getState() != state(record)) {
      return false;
    }
    Map<String, String> labels = record.config().getLabelsMap();
    return filter.getLabelSelectorMap().entrySet().stream()
        .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
  }
}
