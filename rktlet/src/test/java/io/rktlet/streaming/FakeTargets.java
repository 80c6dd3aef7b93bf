package io.rktlet.streaming;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Target lookups for tests. Every target runs unless a test sets another state. */
final class FakeTargets implements StreamTargets {
  final Map<String, State> containers = new ConcurrentHashMap<>();
  final Map<String, State> sandboxes = new ConcurrentHashMap<>();
  final Map<String, Boolean> containerTtys = new ConcurrentHashMap<>();

  @Override
  public State containerState(String containerId) {
    return containers.getOrDefault(containerId, State.RUNNING);
  }

  @Override
  public State sandboxState(String podSandboxId) {
    return sandboxes.getOrDefault(podSandboxId, State.RUNNING);
  }

  @Override
  public Optional<Boolean> containerTty(String containerId) {
    return Optional.ofNullable(containerTtys.get(containerId));
  }
}
