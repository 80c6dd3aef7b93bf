package io.rktlet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cleans up what a test's rktlet left on the host: the pod and app processes of the rkt test
 * double (found by the test's own directory in their command line), mounts under the test
 * directory, and the test double's cgroups.
 */
final class TestHost {
  private TestHost() {}

  /** True when the tests run as root, which real bind mounts and cgroups need. */
  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .anyMatch(line -> line.split("\\s+")[1].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  static void cleanUp(Path root, Path rktDir) throws IOException, InterruptedException {
    killProcessesUnder(root);
    unmountUnder(root);
    removeCgroups(rktDir);
    removePodCgroups(root.resolve("state/sandboxes"));
  }

  /**
   * Removes the v1 pod cgroups rktlet made for the test's sandboxes when their parent was
   * empty ({@code /sys/fs/cgroup/<controller>/rktlet-<16 ID characters>}), killing what is in
   * them first.
   */
  static void removePodCgroups(Path sandboxes) throws IOException, InterruptedException {
    if (!Files.isDirectory(sandboxes)) {
      return;
    }
    List<String> leaves = new ArrayList<>();
    try (Stream<Path> ids = Files.list(sandboxes)) {
      ids.forEach(id -> leaves.add("rktlet-" + id.getFileName().toString().substring(0, 16)));
    }
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path hierarchy : (Iterable<Path>) hierarchies::iterator) {
        for (String leaf : leaves) {
          Path cgroup = hierarchy.resolve(leaf);
          if (Files.isDirectory(cgroup)) {
            killAll(cgroup);
            removeTree(cgroup);
          }
        }
      }
    }
  }

  private static void killAll(Path cgroup) throws IOException {
    try (Stream<Path> dirs = Files.walk(cgroup)) {
      for (Path procs : (Iterable<Path>) dirs.map(dir -> dir.resolve("cgroup.procs"))::iterator) {
        if (Files.isReadable(procs)) {
          for (String pid : Files.readAllLines(procs)) {
            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
    }
  }

  /** Kills processes whose command line or working directory names the test directory. */
  static void killProcessesUnder(Path root) {
    String marker = root.toString();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(process -> process.pid() != self)
        .filter(process -> mentions(process, marker))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean mentions(ProcessHandle process, String marker) {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()),
          "cmdline"));
      String text = new String(cmdline, java.nio.charset.StandardCharsets.UTF_8);
      if (text.contains(marker)) {
        return true;
      }
      Path environ = Path.of("/proc", Long.toString(process.pid()), "environ");
      return Files.isReadable(environ) && new String(Files.readAllBytes(environ),
          java.nio.charset.StandardCharsets.UTF_8).contains(marker);
    } catch (IOException e) {
      return false;
    }
  }

  static void unmountUnder(Path root) throws IOException, InterruptedException {
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String mountPoint = line.split(" ")[4].replace("\\040", " ");
      if (mountPoint.startsWith(root.toString())) {
        mounts.add(mountPoint);
      }
    }
    mounts.sort(Comparator.comparingInt(String::length).reversed());
    for (String mountPoint : mounts) {
      new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor();
    }
  }

  /**
   * Kills the processes in the test double's pod cgroups and removes those cgroups. The app
   * processes are not found by command line, and their runner may already be gone.
   */
  static void removeCgroups(Path rktDir) throws IOException, InterruptedException {
    for (String state : List.of("run", "exited-garbage")) {
      Path pods = rktDir.resolve("pods").resolve(state);
      if (!Files.isDirectory(pods)) {
        continue;
      }
      try (Stream<Path> uuids = Files.list(pods)) {
        for (Path pod : (Iterable<Path>) uuids::iterator) {
          String scope = "machine-rkt\\x2d"
              + pod.getFileName().toString().replace("-", "\\x2d") + ".scope";
          removeTree(Path.of("/sys/fs/cgroup/unified", scope));
        }
      }
    }
  }

  private static void removeTree(Path cgroup) throws IOException, InterruptedException {
    if (!Files.isDirectory(cgroup)) {
      return;
    }
    Path kill = cgroup.resolve("cgroup.kill");
    if (Files.isWritable(kill)) {
      Files.writeString(kill, "1");
      Thread.sleep(100);
    }
    try (Stream<Path> dirs = Files.walk(cgroup)) {
      dirs.filter(Files::isDirectory)
          .sorted(Comparator.reverseOrder())
          .forEach(dir -> dir.toFile().delete());
    }
  }
}
