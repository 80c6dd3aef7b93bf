package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rktlet.cgroups.PodCgroupName.CgroupDriver;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.cri.v1.MemoryUsage;
import io.rktlet.stats.CpuStatsReader;
import io.rktlet.stats.MemoryStatsReader;
import io.rktlet.stats.ProcessMemoryReader;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs pod cgroup creation, limits, stats, kill and removal against the host's real v1 or
 * hybrid cgroup hierarchies, in a directory {@code rktlet-test-<random>} of its own below each
 * hierarchy's root, which it removes afterwards. Skipped unless running as root on such a host.
 */
class RealCgroupTest {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  private static final String SANDBOX_ID =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private CgroupLayout layout;
  private String parent;
  private PodCgroup pod;
  private Process sleeper;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    assumeTrue(Files.isDirectory(ROOT), "no /sys/fs/cgroup");
    layout = CgroupLayout.detect(ROOT);
    assumeTrue(layout.version() != CgroupLayout.Version.V2,
        "on cgroup v2 the test would have to change the root's subtree_control");
    Path memory = layout.v1Hierarchy("memory").orElse(null);
    assumeTrue(memory != null && Files.isWritable(memory), "memory hierarchy not writable");
    parent = "/rktlet-test-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    pod = new PodCgroup(layout, PodCgroupName.forSandbox(CgroupDriver.CGROUPFS, parent,
        SANDBOX_ID));
  }

  @AfterEach
  void tearDown() throws IOException, InterruptedException {
    if (sleeper != null && sleeper.isAlive()) {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
    if (pod == null) {
      return;
    }
    List<String> leftovers = new ArrayList<>();
    for (Path directory : pod.directories()) {
      for (Path level : List.of(directory, directory.getParent())) {
        if (Files.isDirectory(level) && !level.equals(ROOT)) {
          try {
            Files.delete(level);
          } catch (IOException e) {
            leftovers.add(level + ": " + e);
          }
        }
      }
    }
    assertThat(leftovers).as("test cgroups left behind").isEmpty();
  }

  @Test
  void podCgroupLifecycle() throws Exception {
    List<Path> created = pod.create();
    assertThat(created).hasSize(2 * pod.directories().size());

    sleeper = new ProcessBuilder("sleep", "600").start();
    for (Path procs : pod.procsFiles()) {
      Files.writeString(procs, Long.toString(sleeper.pid()));
    }
    Path cpuset = pod.dirs().controller("cpuset").orElse(null);
    String cpus = cpuset == null ? "" : Files.readString(cpuset.resolve("cpuset.cpus")).strip();

    ResourceWriter.apply(pod.dirs(), LinuxContainerResources.newBuilder()
        .setMemoryLimitInBytes(64L << 20).setCpuShares(512).setCpuPeriod(100_000)
        .setCpuQuota(50_000).setCpusetCpus(cpus).build(), "linux");

    Path memoryDir = pod.dirs().controller("memory").orElseThrow();
    assertThat(Files.readString(memoryDir.resolve("memory.limit_in_bytes")).strip())
        .isEqualTo(Long.toString(64L << 20));
    Path cpuDir = pod.dirs().controller("cpu").orElseThrow();
    assertThat(Files.readString(cpuDir.resolve("cpu.shares")).strip()).isEqualTo("512");
    assertThat(Files.readString(cpuDir.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("50000");
    assertThat(CgroupKiller.pids(memoryDir)).containsExactly(sleeper.pid());

    NanoClock clock = NanoClock.SYSTEM;
    MemoryUsage memory = new MemoryStatsReader(clock).read(pod.dirs());
    assertThat(memory.getAvailableBytes().getValue()).isPositive();
    assertThat(new CpuStatsReader(clock).read(pod.dirs()).getTimestamp()).isPositive();
    assertThat(OomCounter.read(pod.dirs())).hasValue(0);
    MemoryUsage processMemory = new ProcessMemoryReader(Path.of("/proc"),
        ProcessMemoryReader.DEFAULT_PAGE_SIZE, clock).read(List.of(sleeper.pid()));
    assertThat(processMemory.getUsageBytes().getValue()).isPositive();

    CgroupKiller.Result result = new CgroupKiller().kill(pod.dirs());
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(result.signalled()).isEqualTo(1);
    assertThat(sleeper.exitValue()).isEqualTo(137);

    pod.remove();
    for (Path directory : pod.directories()) {
      assertThat(directory).doesNotExist();
    }
  }
}
