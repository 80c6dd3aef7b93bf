package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.config.CgroupDriver;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.state.SandboxRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OOM kill detection on a cgroup v2 tree built in a temporary directory. */
class OomWatcherTest {
  private static final String SANDBOX_ID =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;

  private PodCgroups cgroups;
  private SandboxRecord sandbox;
  private Path memoryEvents;

  @BeforeEach
  void createTree() throws IOException {
    Path root = Files.createDirectories(dir.resolve("cgroup"));
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
    cgroups = new PodCgroups(CgroupLayout.detect(root), CgroupDriver.CGROUPFS);
    sandbox = new SandboxRecord(SANDBOX_ID, PodSandboxConfig.getDefaultInstance(), "",
        SandboxRecord.Phase.READY, "61d4948c-6bf7-429e-b346-bfa38a5d9404", "10.0.0.2", 1L, 2L);
    Path podDir = cgroups.of(sandbox).orElseThrow().dirs().v2();
    memoryEvents = Files.createDirectories(podDir).resolve("memory.events");
    Files.createDirectories(sandboxDir(SANDBOX_ID));
  }

  private Path sandboxDir(String id) {
    return dir.resolve("state/sandboxes").resolve(id);
  }

  private OomWatcher watcher() {
    return new OomWatcher(cgroups, this::sandboxDir);
  }

  private void oomKills(long count) throws IOException {
    Files.writeString(memoryEvents, "low 0\nhigh 0\nmax 3\noom 1\noom_kill " + count + "\n");
  }

  @Test
  void growthIsReportedOnce() throws IOException {
    OomWatcher watcher = watcher();
    oomKills(0);
    assertThat(watcher.killedSinceLastCheck(sandbox)).isFalse();

    oomKills(1);
    assertThat(watcher.killedSinceLastCheck(sandbox)).isTrue();
    assertThat(watcher.killedSinceLastCheck(sandbox)).isFalse();
  }

  @Test
  void explainedKillsStayExplainedAfterRestart() throws IOException {
    oomKills(2);
    assertThat(watcher().killedSinceLastCheck(sandbox)).isTrue();

    OomWatcher afterRestart = watcher();

    assertThat(afterRestart.killedSinceLastCheck(sandbox)).isFalse();
    oomKills(3);
    assertThat(afterRestart.killedSinceLastCheck(sandbox)).isTrue();
  }

  @Test
  void killWhileRktletWasDownIsReported() throws IOException {
    oomKills(0);
    assertThat(watcher().killedSinceLastCheck(sandbox)).isFalse();
    oomKills(1);

    assertThat(watcher().killedSinceLastCheck(sandbox)).isTrue();
  }

  @Test
  void podWithoutMemoryEventsIsNeverOomKilled() {
    assertThat(watcher().killedSinceLastCheck(sandbox)).isFalse();
  }
}
