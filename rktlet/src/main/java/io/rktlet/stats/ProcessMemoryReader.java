package io.rktlet.stats;

import io.rktlet.cri.v1.MemoryUsage;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Derives a container's memory figures from its processes, for hosts where rkt apps have no
 * memory cgroup of their own: apps stay in the memory cgroup of the process that launched the
 * pod, so only the pod's total is in cgroup files. The processes are those listed in the
 * {@code cgroup.procs} files of the app's unit cgroup (in systemd's hierarchy or the cgroup2
 * tree) and below it.
 *
 * <p>From {@code /proc/<pid>/smaps_rollup} (Linux 4.14 and later), summed over the processes:
 * usage is {@code Rss}, the working set is {@code Pss} (shared pages divided among the processes
 * that map them, so a library mapped by every process counts once), and RSS is
 * {@code Anonymous}. Without smaps_rollup, {@code /proc/<pid>/statm} gives resident pages for
 * usage and working set, and resident minus shared pages for RSS. Page faults are
 * {@code minflt} and {@code majflt} of {@code /proc/<pid>/stat}. These are estimates: page
 * cache the container filled without mapping it, kernel memory and tmpfs files are not counted,
 * and faults of exited processes are lost. No available bytes are reported, since the
 * container has no limit of its own.
 */
public final class ProcessMemoryReader {
  /** Page size for statm, 4096 on x86_64 and most arm64 kernels. */
  public static final long DEFAULT_PAGE_SIZE = 4096;

  private static final long KIB = 1024;

  private final Path procRoot;
  private final long pageSizeBytes;
  private final NanoClock clock;

  /**
   * @param procRoot the proc file system, normally {@code /proc} (the host's, whose PIDs the
   *     host's cgroup files list)
   * @param pageSizeBytes the kernel's page size, for statm
   */
  public ProcessMemoryReader(Path procRoot, long pageSizeBytes, NanoClock clock) {
    this.procRoot = procRoot;
    this.pageSizeBytes = pageSizeBytes;
    this.clock = clock;
  }

  /**
   * Returns the memory of the processes in {@code cgroupDir} and the cgroups below it.
   *
   * @throws NoSuchFileException when the cgroup does not exist
   */
  public MemoryUsage readCgroup(Path cgroupDir) throws IOException {
    if (!Files.isDirectory(cgroupDir)) {
      throw new NoSuchFileException(cgroupDir.toString(), null, "no such cgroup");
    }
    return read(pids(cgroupDir));
  }

  /** Returns the summed memory of the processes; processes that exited are skipped. */
  public MemoryUsage read(Collection<Long> pids) throws IOException {
    long timestamp = clock.nowNanos();
    Totals totals = new Totals();
    for (long pid : pids) {
      Path process = procRoot.resolve(Long.toString(pid));
      try {
        add(process, totals);
      } catch (NoSuchFileException e) {
        // The process exited while it was read.
      }
    }
    return MemoryStatsReader.usage(timestamp, totals.usage, totals.workingSet, totals.rss,
        totals.minorFaults, totals.majorFaults, OptionalLong.empty());
  }

  private void add(Path process, Totals totals) throws IOException {
    Path rollup = process.resolve("smaps_rollup");
    long usage;
    long workingSet;
    long rss;
    if (Files.exists(rollup)) {
      Smaps smaps = Smaps.read(rollup);
      usage = smaps.kib("Rss:") * KIB;
      workingSet = smaps.kib("Pss:") * KIB;
      rss = smaps.kib("Anonymous:") * KIB;
    } else {
      String[] statm = Files.readString(process.resolve("statm")).strip().split("\\s+");
      long resident = Long.parseLong(statm[1]);
      long shared = Long.parseLong(statm[2]);
      usage = resident * pageSizeBytes;
      workingSet = usage;
      rss = (resident - shared) * pageSizeBytes;
    }
    long[] faults = faults(process.resolve("stat"));
    totals.usage += usage;
    totals.workingSet += workingSet;
    totals.rss += rss;
    totals.minorFaults += faults[0];
    totals.majorFaults += faults[1];
  }

  /**
   * Returns {@code minflt} and {@code majflt} (fields 10 and 12 of proc(5)'s stat). The command
   * name in field 2 may contain spaces and parentheses, so fields are counted after its last
   * {@code )}.
   */
  static long[] faults(Path stat) throws IOException {
    String text = Files.readString(stat);
    String[] fields = text.substring(text.lastIndexOf(')') + 2).strip().split("\\s+");
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    return new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[9])};
  }

  /** Returns the PIDs in {@code cgroup.procs} of {@code cgroupDir} and every cgroup below. */
  static Set<Long> pids(Path cgroupDir) throws IOException {
    Set<Long> pids = new LinkedHashSet<>();
    List<Path> files;
    try (Stream<Path> tree = Files.walk(cgroupDir)) {
      files = tree.filter(path -> path.getFileName().toString().equals("cgroup.procs"))
          .toList();
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.strip()));
        }
      }
    }
    return pids;
  }

  private static final class Totals {
    long usage;
    long workingSet;
    long rss;
    long minorFaults;
    long majorFaults;
  }

  /** The {@code Key: N kB} lines of a smaps_rollup file. */
  private record Smaps(List<String> lines) {
    static Smaps read(Path file) throws IOException {
      return new Smaps(Files.readAllLines(file));
    }

    long kib(String key) {
      for (String line : lines) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
        }
      }
      return 0;
    }
  }
}
