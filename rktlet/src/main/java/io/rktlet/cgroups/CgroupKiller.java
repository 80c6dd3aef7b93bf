package io.rktlet.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills every process of a cgroup and its descendants: a pod's cgroup, or an app's when rkt's
 * own stop would wait its fixed 90 seconds.
 *
 * <p>With cgroup v2 on Linux 5.14 and later, writing {@code 1} to {@code cgroup.kill} kills the
 * whole tree in the kernel. Otherwise every PID listed in the {@code cgroup.procs} files of the
 * tree gets SIGKILL. To keep processes from forking past that list, the cgroup is frozen first
 * when it can be ({@code cgroup.freeze} on v2, the v1 freezer's {@code freezer.state}) and
 * thawed afterwards, so the signals take effect.
 */
public final class CgroupKiller {
  private static final Logger log = LoggerFactory.getLogger(CgroupKiller.class);

  /** Sends SIGKILL to one process. */
  @FunctionalInterface
  public interface Signaller {
    /** Returns false when the process no longer exists or cannot be signalled. */
    boolean kill(long pid);
  }

  /** Way the processes were killed. */
  public enum Method {
    CGROUP_KILL,
    SIGKILL_EACH
  }

  /**
   * The outcome of a kill.
   *
   * @param signalled processes signalled one by one; 0 with {@link Method#CGROUP_KILL}
   */
  public record Result(Method method, int signalled) {}

  private final Signaller signaller;

  /** Returns a killer that signals through {@link ProcessHandle#destroyForcibly()}. */
  public CgroupKiller() {
    this(pid -> ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false));
  }

  public CgroupKiller(Signaller signaller) {
    this.signaller = signaller;
  }

  /**
   * Kills the cgroup's processes. A cgroup directory that does not exist has nothing to kill.
   *
   * @throws IOException when the control files cannot be read or written
   */
  public Result kill(CgroupDirs dirs) throws IOException {
    Path dir = dirs.isV2() ? dirs.v2() : processDirectory(dirs);
    if (dir == null || !Files.isDirectory(dir)) {
      return new Result(Method.SIGKILL_EACH, 0);
    }
    Path killFile = dir.resolve("cgroup.kill");
    if (dirs.isV2() && Files.isRegularFile(killFile)) {
      write(killFile, "1");
      log.info("Killed cgroup {} through cgroup.kill", dir);
      return new Result(Method.CGROUP_KILL, 0);
    }
    Freezer freezer = Freezer.of(dirs);
    freezer.freeze();
    int signalled = 0;
    try {
      for (long pid : pids(dir)) {
        if (signaller.kill(pid)) {
          signalled++;
        }
      }
    } finally {
      freezer.thaw();
    }
    log.info("Sent SIGKILL to {} processes of cgroup {}", signalled, dir);
    return new Result(Method.SIGKILL_EACH, signalled);
  }

  /** Returns the PIDs in {@code cgroup.procs} of {@code dir} and every cgroup below it. */
  static Set<Long> pids(Path dir) throws IOException {
    Set<Long> pids = new LinkedHashSet<>();
    List<Path> procsFiles = new ArrayList<>();
    try (Stream<Path> tree = Files.walk(dir)) {
      tree.filter(path -> path.getFileName().toString().equals(CgroupLayout.PROCS_FILE))
          .forEach(procsFiles::add);
    }
    for (Path procs : procsFiles) {
      try {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.strip()));
          }
        }
      } catch (NoSuchFileException e) {
        // The cgroup went away while the tree was read: its processes are gone with it.
      }
    }
    return pids;
  }

  /** Returns the v1 directory whose {@code cgroup.procs} to read: the freezer's, or any. */
  private static Path processDirectory(CgroupDirs dirs) {
    return dirs.controller("freezer")
        .orElseGet(() -> dirs.v1().values().stream().findFirst().orElse(null));
  }

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** The freeze switch of a cgroup, or one that does nothing when the cgroup has none. */
  private record Freezer(Path file, String frozen, String thawed) {
    static Freezer of(CgroupDirs dirs) {
      if (dirs.isV2()) {
        return new Freezer(existing(dirs.v2().resolve("cgroup.freeze")), "1", "0");
      }
      Path state = dirs.controller("freezer").map(dir -> dir.resolve("freezer.state"))
          .orElse(null);
      return new Freezer(existing(state), "FROZEN", "THAWED");
    }

    private static Path existing(Path file) {
      return file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? file : null;
    }

    void freeze() throws IOException {
      if (file != null) {
        write(file, frozen);
      }
    }

    void thaw() throws IOException {
      if (file != null) {
        write(file, thawed);
      }
    }
  }
}
