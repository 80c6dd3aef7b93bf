package io.rktlet.sandbox;

import io.rktlet.cri.v1.LinuxPodSandboxStatus;
import io.rktlet.cri.v1.Namespace;
import io.rktlet.cri.v1.PodSandbox;
import io.rktlet.cri.v1.PodSandboxFilter;
import io.rktlet.cri.v1.PodSandboxNetworkStatus;
import io.rktlet.cri.v1.PodSandboxState;
import io.rktlet.cri.v1.PodSandboxStatus;
import io.rktlet.state.SandboxRecord;
import java.util.Map;

/** Turns sandbox records into CRI messages and matches them against filters. */
public final class SandboxViews {
  private SandboxViews() {}

  static PodSandboxState state(SandboxRecord record) {
    return record.phase() == SandboxRecord.Phase.READY
        ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
  }

  public static PodSandboxStatus status(SandboxRecord record) {
    PodSandboxStatus.Builder status = PodSandboxStatus.newBuilder()
        .setId(record.id())
        .setMetadata(record.config().getMetadata())
        .setState(state(record))
        .setCreatedAt(record.createdAtNanos())
        .setLinux(LinuxPodSandboxStatus.newBuilder()
            .setNamespaces(Namespace.newBuilder().setOptions(
                record.config().getLinux().getSecurityContext().getNamespaceOptions())))
        .putAllLabels(record.config().getLabelsMap())
        .putAllAnnotations(record.config().getAnnotationsMap())
        .setRuntimeHandler(record.runtimeHandler());
    if (record.ip() != null && !record.isHostNetwork()) {
      status.setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(record.ip()));
    }
    return status.build();
  }

  static PodSandbox summary(SandboxRecord record) {
    return PodSandbox.newBuilder()
        .setId(record.id())
        .setMetadata(record.config().getMetadata())
        .setState(state(record))
        .setCreatedAt(record.createdAtNanos())
        .putAllLabels(record.config().getLabelsMap())
        .putAllAnnotations(record.config().getAnnotationsMap())
        .setRuntimeHandler(record.runtimeHandler())
        .build();
  }

  /** True when the record matches every field the filter sets. */
  static boolean matches(SandboxRecord record, PodSandboxFilter filter) {
    if (!filter.getId().isEmpty() && !record.id().startsWith(filter.getId())) {
      return false;
    }
    if (filter.hasState() && filter.getState().getState() != state(record)) {
      return false;
    }
    return labelsMatch(record.config().getLabelsMap(), filter.getLabelSelectorMap());
  }

  static boolean labelsMatch(Map<String, String> labels, Map<String, String> selector) {
    return selector.entrySet().stream()
        .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
  }
}
