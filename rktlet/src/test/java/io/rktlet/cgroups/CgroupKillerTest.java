package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupKillerTest {
  @TempDir Path dir;

  private final List<String> signals = new ArrayList<>();

  @Test
  void usesCgroupKillOnV2() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    Path pod = root.resolve(CgroupFixtures.POD);

    CgroupKiller.Result result = new CgroupKiller(this::record).kill(CgroupDirs.v2(pod));

    assertThat(result).isEqualTo(new CgroupKiller.Result(CgroupKiller.Method.CGROUP_KILL, 0));
    assertThat(pod.resolve("cgroup.kill")).hasContent("1");
    assertThat(signals).isEmpty();
  }

  @Test
  void signalsFrozenTreeWithoutCgroupKill() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    Path pod = root.resolve(CgroupFixtures.POD);
    Files.delete(pod.resolve("cgroup.kill"));
    freezeStateFile = pod.resolve("cgroup.freeze");

    CgroupKiller.Result result = new CgroupKiller(this::record).kill(CgroupDirs.v2(pod));

    assertThat(result.method()).isEqualTo(CgroupKiller.Method.SIGKILL_EACH);
    assertThat(result.signalled()).isEqualTo(2);
    assertThat(signals).containsExactlyInAnyOrder("201 while 1", "202 while 1");
    assertThat(pod.resolve("cgroup.freeze")).hasContent("0");
  }

  @Test
  void signalsV1ThroughFreezer() throws IOException {
    Path root = CgroupFixtures.copy("hybrid", dir);
    Path freezer = root.resolve("freezer").resolve(CgroupFixtures.POD);
    Path memory = root.resolve("memory").resolve(CgroupFixtures.POD);
    freezeStateFile = freezer.resolve("freezer.state");

    CgroupKiller.Result result = new CgroupKiller(this::record)
        .kill(CgroupDirs.v1(Map.of("freezer", freezer, "memory", memory)));

    assertThat(result.signalled()).isEqualTo(2);
    assertThat(signals).containsExactly("101 while FROZEN", "102 while FROZEN");
    assertThat(freezer.resolve("freezer.state")).hasContent("THAWED");
  }

  @Test
  void signalsWithoutFreezer() throws IOException {
    Path root = CgroupFixtures.copy("hybrid", dir);
    Path memory = root.resolve("memory").resolve(CgroupFixtures.POD);

    CgroupKiller.Result result = new CgroupKiller(this::record)
        .kill(CgroupDirs.v1(Map.of("memory", memory)));

    assertThat(result.signalled()).isEqualTo(2);
    assertThat(signals).containsExactly("101 while -", "102 while -");
  }

  @Test
  void countsOnlyProcessesThatWereSignalled() throws IOException {
    Path root = CgroupFixtures.copy("hybrid", dir);
    Path memory = root.resolve("memory").resolve(CgroupFixtures.POD);

    CgroupKiller.Result result = new CgroupKiller(pid -> pid == 101)
        .kill(CgroupDirs.v1(Map.of("memory", memory)));

    assertThat(result.signalled()).isEqualTo(1);
  }

  @Test
  void missingCgroupHasNothingToKill() throws IOException {
    CgroupKiller.Result result = new CgroupKiller(this::record)
        .kill(CgroupDirs.v2(dir.resolve("gone")));

    assertThat(result.signalled()).isZero();
    assertThat(signals).isEmpty();
  }

  @Test
  void collectsPidsOfChildCgroups() throws IOException {
    Path pod = CgroupFixtures.path("v2").resolve(CgroupFixtures.POD);

    assertThat(CgroupKiller.pids(pod)).containsExactlyInAnyOrder(201L, 202L);
  }

  private Path freezeStateFile;

  private boolean record(long pid) {
    try {
      String state = freezeStateFile == null ? "-" : Files.readString(freezeStateFile).strip();
      signals.add(pid + " while " + state);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
