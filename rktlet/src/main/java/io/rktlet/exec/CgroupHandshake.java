package io.rktlet.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an exec'd command into its container's cgroups. {@code rkt enter} leaves the command
 * in rktlet's own cgroups, so the supervisor in exec mode stops itself (SIGSTOP) before it runs
 * anything of the container; rktlet finds it among the descendants of the {@code rkt enter}
 * process, writes its PID into the app's {@code cgroup.procs} files, and lets it continue.
 */
final class CgroupHandshake {
  private static final Logger log = LoggerFactory.getLogger(CgroupHandshake.class);
  private static final long POLL_MILLIS = 5;

  private CgroupHandshake() {}

  /**
   * Waits for the stopped supervisor below {@code enter}, moves it and continues it. Returns
   * false when it did not appear within {@code timeout} (the caller then kills the command).
   */
  static boolean complete(Process enter, List<Path> cgroupProcsFiles, Duration timeout)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> stopped = enter.descendants()
          .filter(CgroupHandshake::isStoppedSupervisor)
          .findFirst();
      if (stopped.isPresent()) {
        long pid = stopped.get().pid();
        join(pid, cgroupProcsFiles);
        resume(pid);
        return true;
      }
      if (!enter.isAlive()) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return false;
  }

  private static boolean isStoppedSupervisor(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()));
    try {
      String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")),
          StandardCharsets.UTF_8);
      if (!cmdline.contains("supervisor\0exec\0")) {
        return false;
      }
      String stat = Files.readString(proc.resolve("stat"));
      // The state follows the command name in parentheses, which may itself contain spaces.
      String afterName = stat.substring(stat.lastIndexOf(')') + 2);
      return afterName.startsWith("T");
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  private static void join(long pid, List<Path> cgroupProcsFiles) {
    for (Path procs : cgroupProcsFiles) {
      try {
        Files.writeString(procs, pid + "\n");
      } catch (IOException e) {
        log.warn("Cannot move exec'd process {} into {}: {}", pid, procs, e.toString());
      }
    }
  }

  private static void resume(long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(pid))
        .redirectErrorStream(true).start();
    if (kill.waitFor() != 0) {
      throw new IOException("cannot continue exec'd process " + pid + ": "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }
}
