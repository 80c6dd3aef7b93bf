package io.rktlet.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills every process of an app through its cgroup, because {@code rkt app stop} waits a fixed
 * 90 s for an app that ignores SIGTERM. Writing {@code 1} to {@code cgroup.kill} (cgroup v2,
 * Linux 5.14 and later) kills the whole tree at once; otherwise each PID listed in
 * {@code cgroup.procs} gets SIGKILL.
 */
public final class AppKiller {
  private static final Logger log = LoggerFactory.getLogger(AppKiller.class);

  /** Hierarchies where rkt's systemd puts app cgroups: cgroup v2 (hybrid or pure) and v1. */
  private static final List<String> HIERARCHIES = List.of("unified", "", "systemd");

  private final AppPaths paths;

  public AppKiller(AppPaths paths) {
    this.paths = paths;
  }

  /** Kills the app's processes; returns false when no cgroup of the app was found. */
  public boolean kill(String podUuid, String appName) {
    for (String hierarchy : HIERARCHIES) {
      Path cgroup = paths.appCgroup(hierarchy, podUuid, appName);
      Path killFile = cgroup.resolve("cgroup.kill");
      if (Files.isWritable(killFile)) {
        try {
          Files.writeString(killFile, "1");
          log.info("Killed app {} of rkt pod {} through {}", appName, podUuid, killFile);
          return true;
        } catch (IOException e) {
          log.warn("Cannot write {}: {}; trying its cgroup.procs", killFile, e.toString());
        }
      }
      if (killProcs(cgroup.resolve("cgroup.procs"), podUuid, appName)) {
        return true;
      }
    }
    log.warn("Found no cgroup of app {} in rkt pod {}; cannot kill it directly", appName,
        podUuid);
    return false;
  }

  private static boolean killProcs(Path procs, String podUuid, String appName) {
    if (!Files.isReadable(procs)) {
      return false;
    }
    List<String> pids;
    try {
      pids = Files.readAllLines(procs);
    } catch (IOException e) {
      log.warn("Cannot read {}: {}", procs, e.toString());
      return false;
    }
    int killed = 0;
    for (String pid : pids) {
      if (pid.isBlank()) {
        continue;
      }
      Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid.strip()));
      if (process.isPresent() && process.get().destroyForcibly()) {
        killed++;
      }
    }
    log.info("Sent SIGKILL to {} processes of app {} in rkt pod {} listed in {}", killed,
        appName, podUuid, procs);
    return true;
  }
}
