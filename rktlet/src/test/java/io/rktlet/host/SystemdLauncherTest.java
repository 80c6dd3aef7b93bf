package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SystemdLauncherTest {
  private static final String SANDBOX_ID =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String UNIT = "rktlet-pod-0123456789abcdef";
  private static final List<String> RKT_ARGV = List.of(
      "/usr/bin/rkt", "--dir=/var/lib/rkt", "app", "sandbox", "--uuid-file-save=/run/x/uuid");

  @TempDir Path tempDir;

  static Stream<Arguments> slices() {
    return Stream.of(
        Arguments.of("empty parent", "", null),
        Arguments.of("cgroupfs root", "/", null),
        Arguments.of("systemd notation", "kubepods-burstable-pod123.slice",
            "kubepods-burstable-pod123.slice"),
        Arguments.of("top-level slice", "kubepods.slice", "kubepods.slice"),
        Arguments.of("root slice", "-.slice", "-.slice"),
        Arguments.of("cgroupfs path", "/kubepods/burstable/pod123",
            "kubepods-burstable-pod123.slice"),
        Arguments.of("cgroupfs dashes in pod UID", "/kubepods/besteffort/pod0a1b-22c3",
            "kubepods-besteffort-pod0a1b_22c3.slice"),
        Arguments.of("cgroupfs trailing slash", "/kubepods/", "kubepods.slice"),
        Arguments.of("cgroupfs double slash", "/kubepods//pod1", "kubepods-pod1.slice"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("slices")
  void derivesSliceFromCgroupParent(String description, String cgroupParent, String expected) {
    assertThat(SystemdLauncher.sliceFor(cgroupParent)).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "kubepods",
      "kubepods/burstable",
      "kubepods.slice/pod1.slice",
      "/kubepods/../etc",
      "/kubepods/./pod1",
      "/kubepods.slice/kubepods-burstable.slice",
      "/pod 1",
      "pod;reboot.slice",
      "a--b.slice",
      "-a.slice",
      "a-.slice",
      ".slice",
  })
  void rejectsInvalidCgroupParent(String cgroupParent) {
    assertThatThrownBy(() -> SystemdLauncher.sliceFor(cgroupParent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cgroup parent " + cgroupParent);
  }

  @Test
  void rejectsOverlongSlice() {
    String cgroupParent = "/" + "a".repeat(250) + "/pod1";

    assertThatThrownBy(() -> SystemdLauncher.sliceFor(cgroupParent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 255 characters");
  }

  @Test
  void buildsSystemdRunArgv() {
    LaunchRequest request = request("/kubepods/burstable/pod123");

    List<String> argv = SystemdLauncher.systemdRunArgv(request, UNIT);

    String log = tempDir.resolve("sandboxes/console.log").toString();
    assertThat(argv).containsExactly(
        "systemd-run",
        "--unit=" + UNIT,
        "--slice=kubepods-burstable-pod123.slice",
        "--collect",
        "--property=StandardOutput=append:" + log,
        "--property=StandardError=append:" + log,
        "--setenv=RKT_EXPERIMENT_APP=true",
        "--setenv=RKT_EXPERIMENT_ATTACH=true",
        "--quiet",
        "--",
        "/usr/bin/rkt", "--dir=/var/lib/rkt", "app", "sandbox", "--uuid-file-save=/run/x/uuid");
  }

  @Test
  void omitsSliceWithoutCgroupParent() {
    List<String> argv = SystemdLauncher.systemdRunArgv(request(""), UNIT);

    assertThat(argv).noneMatch(argument -> argument.startsWith("--slice"));
    assertThat(argv.get(2)).isEqualTo("--collect");
  }

  @Test
  void launchReturnsUnitAndMainPid() throws IOException {
    RecordingProcessRunner runner = new RecordingProcessRunner().respondWith(argv ->
        argv.get(0).equals("systemctl")
            ? RecordingProcessRunner.result(argv, 0, "4242\n", "")
            : RecordingProcessRunner.success(argv));
    SystemdLauncher launcher = new SystemdLauncher(runner, Duration.ofSeconds(7));

    LaunchedSandbox sandbox = launcher.launch(request("kubepods-besteffort.slice"));

    assertThat(sandbox.pid()).isEqualTo(4242);
    assertThat(sandbox.unitName()).isEqualTo(UNIT);
    assertThat(sandbox.exit()).isNotDone();
    assertThat(runner.commands()).hasSize(2);
    assertThat(runner.commands().get(0)).startsWith("systemd-run", "--unit=" + UNIT);
    assertThat(runner.commands().get(1))
        .containsExactly("systemctl", "show", "--property=MainPID", "--value", UNIT);
    assertThat(runner.specs()).allMatch(spec -> spec.timeout().equals(Duration.ofSeconds(7)));
    assertThat(tempDir.resolve("sandboxes")).isDirectory();
  }

  @Test
  void launchFailsWhenSystemdRunFails() {
    String stderr = "Failed to start transient service unit: Unit " + UNIT
        + ".service already exists.";
    RecordingProcessRunner runner = new RecordingProcessRunner()
        .respondWith(argv -> RecordingProcessRunner.result(argv, 1, "", stderr));
    SystemdLauncher launcher = new SystemdLauncher(runner);

    assertThatThrownBy(() -> launcher.launch(request("")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed to start sandbox " + SANDBOX_ID)
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("already exists");
    assertThat(runner.commands()).hasSize(1);
  }

  @Test
  void launchTimeoutNamesUnitToStop() {
    RecordingProcessRunner runner =
        new RecordingProcessRunner().respondWith(RecordingProcessRunner::timeout);
    SystemdLauncher launcher = new SystemdLauncher(runner);

    assertThatThrownBy(() -> launcher.launch(request("")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("timed out")
        .hasMessageContaining("systemctl stop " + UNIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not-a-number\n", "0\n"})
  void launchReturnsPidZeroWhenUnknown(String systemctlOutput) throws IOException {
    RecordingProcessRunner runner = new RecordingProcessRunner().respondWith(argv ->
        RecordingProcessRunner.result(argv, 0, argv.get(0).equals("systemctl")
            ? systemctlOutput : "", ""));

    LaunchedSandbox sandbox = new SystemdLauncher(runner).launch(request(""));

    assertThat(sandbox.pid()).isZero();
    assertThat(sandbox.unitName()).isEqualTo(UNIT);
  }

  @Test
  void launchRejectsInvalidCgroupParentBeforeRunning() {
    RecordingProcessRunner runner = new RecordingProcessRunner();

    assertThatThrownBy(() -> new SystemdLauncher(runner).launch(request("kubepods")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runner.commands()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0123456789abcde", "0123456789ABCDEF0000", "../../etc/passwd00"})
  void unitNameRejectsInvalidSandboxId(String sandboxId) {
    assertThatThrownBy(() -> SystemdLauncher.unitName(sandboxId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid sandbox ID");
  }

  @Test
  void unitNameUsesSixteenCharacters() {
    assertThat(SystemdLauncher.unitName(SANDBOX_ID)).isEqualTo(UNIT);
  }

  @Test
  void nameIsSystemd() {
    assertThat(new SystemdLauncher(new RecordingProcessRunner()).name()).isEqualTo("systemd");
  }

  private LaunchRequest request(String cgroupParent) {
    return new LaunchRequest(SANDBOX_ID, RKT_ARGV,
        Map.of("RKT_EXPERIMENT_ATTACH", "true", "RKT_EXPERIMENT_APP", "true"),
        tempDir.resolve("sandboxes/console.log"), cgroupParent, List.of());
  }
}
