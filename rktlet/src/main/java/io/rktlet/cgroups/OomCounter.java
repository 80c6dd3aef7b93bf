package io.rktlet.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads how many processes the kernel's OOM killer has killed in a cgroup. The count only
 * grows, so a caller keeps the last value and detects an OOM kill as an increase, for example
 * between a container's start and its exit, to report reason OOMKilled.
 *
 * <p>cgroup v2: {@code oom_kill} in {@code memory.events} (it includes the cgroup's
 * descendants unless the host mounts cgroup2 with {@code memory_localevents}). cgroup v1:
 * {@code oom_kill} in {@code memory.oom_control}, which Linux has had since 4.13; the recorded
 * run showed {@code oom_kill 1} there after an app was killed.
 */
public final class OomCounter {
  static final String KEY = "oom_kill";

  private OomCounter() {}

  /**
   * Returns the cgroup's OOM kill count, or empty when it has no memory controller file or the
   * file has no {@code oom_kill} line.
   *
   * @throws IOException when the file exists but cannot be read, or its value is no number
   */
  public static OptionalLong read(CgroupDirs dirs) throws IOException {
    Path file;
    if (dirs.isV2()) {
      file = dirs.v2().resolve("memory.events");
    } else if (dirs.controller("memory").isPresent()) {
      file = dirs.controller("memory").get().resolve("memory.oom_control");
    } else {
      return OptionalLong.empty();
    }
    if (!Files.isRegularFile(file)) {
      return OptionalLong.empty();
    }
    return KeyValueFile.read(file).value(KEY);
  }
}
