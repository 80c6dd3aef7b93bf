package io.rktlet.reconcile;

import io.rktlet.rkt.RktApp;
import io.rktlet.rkt.RktPod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The pods that one {@code rkt list --format=json} returned, indexed by UUID. */
final class RktSnapshot {
  private final Map<String, RktPod> podsByUuid;

  RktSnapshot(List<RktPod> pods) {
    this.podsByUuid = pods.stream()
        .collect(Collectors.toMap(RktPod::uuid, Function.identity(), (first, second) -> first));
  }

  Optional<RktPod> pod(String uuid) {
    return uuid == null ? Optional.empty() : Optional.ofNullable(podsByUuid.get(uuid));
  }

  Optional<RktApp> app(String uuid, String appName) {
    return pod(uuid).map(pod -> pod.app(appName));
  }

  boolean isRunning(String uuid) {
    return pod(uuid).map(RktPod::isRunning).orElse(false);
  }

  /** Returns the pods that carry the given user annotation, keyed by its value. */
  Map<String, RktPod> byAnnotation(String key) {
    return podsByUuid.values().stream()
        .filter(pod -> pod.userAnnotations().containsKey(key))
        .collect(Collectors.toMap(pod -> pod.userAnnotations().get(key), Function.identity(),
            (first, second) -> first));
  }
}
