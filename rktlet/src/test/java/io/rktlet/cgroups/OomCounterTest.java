package io.rktlet.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OomCounterTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"v1, 0", "hybrid, 1"})
  void readsV1OomControl(String fixture, long expected) throws IOException {
    Path memory = CgroupFixtures.path(fixture).resolve("memory").resolve(CgroupFixtures.POD);

    assertThat(OomCounter.read(CgroupDirs.v1(Map.of("memory", memory)))).hasValue(expected);
  }

  @Test
  void readsV2MemoryEvents() throws IOException {
    Path pod = CgroupFixtures.path("v2").resolve(CgroupFixtures.POD);

    assertThat(OomCounter.read(CgroupDirs.v2(pod))).hasValue(1);
  }

  @Test
  void detectsIncrease() throws IOException {
    Path root = CgroupFixtures.copy("v2", dir);
    CgroupDirs pod = CgroupDirs.v2(root.resolve(CgroupFixtures.POD));
    long before = OomCounter.read(pod).orElseThrow();
    Files.writeString(root.resolve(CgroupFixtures.POD).resolve("memory.events"),
        "low 0\nhigh 0\nmax 40\noom 2\noom_kill 2\noom_group_kill 0\n");

    assertThat(OomCounter.read(pod).orElseThrow()).isGreaterThan(before);
  }

  @Test
  void emptyWithoutMemoryController() throws IOException {
    Path cpu = CgroupFixtures.path("v1").resolve("cpu,cpuacct").resolve(CgroupFixtures.POD);

    assertThat(OomCounter.read(CgroupDirs.v1(Map.of("cpu", cpu)))).isEmpty();
  }

  @Test
  void emptyForOldKernelWithoutCounter() throws IOException {
    Path memory = Files.createDirectories(dir.resolve("memory"));
    Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");

    assertThat(OomCounter.read(CgroupDirs.v1(Map.of("memory", memory)))).isEmpty();
  }

  @Test
  void malformedCounterIsAnError() throws IOException {
    Path pod = Files.createDirectories(dir.resolve("pod"));
    Files.writeString(pod.resolve("memory.events"), "oom_kill lots\n");

    assertThatThrownBy(() -> OomCounter.read(CgroupDirs.v2(pod)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("invalid value lots for oom_kill");
  }
}
