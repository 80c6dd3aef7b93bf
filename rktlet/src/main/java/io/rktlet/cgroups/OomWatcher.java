package io.rktlet.cgroups;

import io.rktlet.state.SandboxRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices OOM kills in pod cgroups. The kernel counts them per cgroup ({@code oom_kill} in
 * {@code memory.events} or {@code memory.oom_control}); apps have no memory cgroup of their own,
 * so a container killed by SIGKILL while its pod's count grew is reported as OOMKilled.
 *
 * <p>The count already explained is kept in the sandbox's state directory, so a restart of
 * rktlet neither reports an earlier kill again nor misses one that happened while it was down.
 */
public final class OomWatcher {
  private static final Logger log = LoggerFactory.getLogger(OomWatcher.class);
  private static final String SEEN_FILE = "oom-kills-seen";

  private final PodCgroups cgroups;
  private final Function<String, Path> sandboxDir;

  /** @param sandboxDir maps a sandbox ID to rktlet's directory for that sandbox */
  public OomWatcher(PodCgroups cgroups, Function<String, Path> sandboxDir) {
    this.cgroups = cgroups;
    this.sandboxDir = sandboxDir;
  }

  /**
   * Returns true when the pod's OOM kill count grew since the last call, and takes the growth
   * as explained.
   */
  public synchronized boolean killedSinceLastCheck(SandboxRecord sandbox) {
    OptionalLong count = read(sandbox);
    if (count.isEmpty()) {
      return false;
    }
    long seen = seen(sandbox.id());
    if (count.getAsLong() <= seen) {
      return false;
    }
    remember(sandbox.id(), count.getAsLong());
    return true;
  }

  private OptionalLong read(SandboxRecord sandbox) {
    Optional<PodCgroup> cgroup = cgroups.of(sandbox);
    if (cgroup.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OomCounter.read(cgroup.get().dirs());
    } catch (IOException e) {
      log.warn("Cannot read the OOM kill count of sandbox {}: {}", sandbox.id(), e.toString());
      return OptionalLong.empty();
    }
  }

  private long seen(String sandboxId) {
    Path file = sandboxDir.apply(sandboxId).resolve(SEEN_FILE);
    try {
      return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      log.warn("Cannot read {} of sandbox {}, so every OOM kill of the pod counts as new: {}",
          file, sandboxId, e.toString());
      return 0;
    }
  }

  private void remember(String sandboxId, long count) {
    Path file = sandboxDir.apply(sandboxId).resolve(SEEN_FILE);
    try {
      Files.writeString(file, Long.toString(count), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      log.warn("Cannot record the OOM kill count {} of sandbox {} in {}: {}", count, sandboxId,
          file, e.toString());
    }
  }
}
