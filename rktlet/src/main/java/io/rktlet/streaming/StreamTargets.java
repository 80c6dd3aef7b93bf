package io.rktlet.streaming;

import java.util.Optional;

/**
 * Lookups that {@link StreamingServer} makes before it hands out a URL, so that a client learns
 * at once that a container or pod sandbox does not exist or does not run.
 */
public interface StreamTargets {
  /** The state of a container or pod sandbox, as far as streaming sessions are concerned. */
  enum State {
    /** The container runs, or the pod sandbox is ready. */
    RUNNING,
    /** It exists but has stopped, or has not started yet. */
    NOT_RUNNING,
    NOT_FOUND
  }

  State containerState(String containerId);

  State sandboxState(String podSandboxId);

  /**
   * Returns whether the container was created with a TTY, or empty when unknown. Attach requests
   * must match it, because attach joins the container's own stdio.
   */
  default Optional<Boolean> containerTty(String containerId) {
    return Optional.empty();
  }
}
