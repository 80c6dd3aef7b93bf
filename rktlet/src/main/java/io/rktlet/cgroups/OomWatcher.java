package io.rktlet.cgroups;

import io.rktlet.state.SandboxRecord;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices OOM kills in pod cgroups. The kernel counts them per cgroup ({@code oom_kill} in
 * {@code memory.events} or {@code memory.oom_control}); apps have no memory cgroup of their own,
 * so a container killed by SIGKILL while its pod's count grew is reported as OOMKilled.
 */
public final class OomWatcher {
  private static final Logger log = LoggerFactory.getLogger(OomWatcher.class);

  private final PodCgroups cgroups;
  private final Map<String, Long> lastCounts = new ConcurrentHashMap<>();

  public OomWatcher(PodCgroups cgroups) {
    this.cgroups = cgroups;
  }

  /** Records the pod's current count, so that later kills are told from earlier ones. */
  public void baseline(SandboxRecord sandbox) {
    read(sandbox).ifPresent(count -> lastCounts.put(sandbox.id(), count));
  }

  /**
   * Returns true when the pod's OOM kill count grew since the last call (or the baseline), and
   * takes the growth as explained.
   */
  public boolean killedSinceLastCheck(SandboxRecord sandbox) {
    OptionalLong count = read(sandbox);
    if (count.isEmpty()) {
      return false;
    }
    Long previous = lastCounts.put(sandbox.id(), count.getAsLong());
    return count.getAsLong() > (previous == null ? 0 : previous);
  }

  public void forget(String sandboxId) {
    lastCounts.remove(sandboxId);
  }

  private OptionalLong read(SandboxRecord sandbox) {
    Optional<PodCgroup> cgroup = cgroups.of(sandbox);
    if (cgroup.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OomCounter.read(cgroup.get().dirs());
    } catch (IOException e) {
      log.debug("Cannot read the OOM count of sandbox {}: {}", sandbox.id(), e.toString());
      return OptionalLong.empty();
    }
  }
}
