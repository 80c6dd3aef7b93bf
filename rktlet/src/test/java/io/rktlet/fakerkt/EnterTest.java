package io.rktlet.fakerkt;

import static io.rktlet.fakerkt.Recorded.subst;
import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.fakerkt.FakeRkt.Pod;
import io.rktlet.fakerkt.FakeRkt.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code rkt enter} and {@code rkt app exec}, replayed from the recorded transcripts. */
class EnterTest {
  static final String RECORDED_POD = "61d4948c-6bf7-429e-b346-bfa38a5d9404";

  @TempDir Path tempDir;
  FakeRkt rkt;
  Pod pod;
  Map<String, String> ids;

  @BeforeEach
  void setUp() {
    rkt = new FakeRkt(tempDir);
    rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
    pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, AppTest.IMAGE, "x", "sleep 100");
    ids = subst(RECORDED_POD, pod.uuid());
  }

  @AfterEach
  void tearDown() {
    rkt.close();
  }

  static Stream<Arguments> recordedCommands() {
    return Stream.of(
        Arguments.of("enter propagates exit code 7", 2, null),
        Arguments.of("app exec propagates exit code 7", 3, null),
        Arguments.of("enter passes stdin through", 4, "l1\nl2\nl3\n"),
        Arguments.of("app exec passes stdin through", 5, "l1\nl2\nl3\n"),
        Arguments.of("enter of a missing binary", 6, null),
        Arguments.of("enter exit 255", 8, null),
        Arguments.of("enter without a terminal", 9, null),
        Arguments.of("enter of /bin/true", 14, null),
        Arguments.of("app exec of /bin/true", 24, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedCommands")
  void commandReplaysRecordedOutput(String description, int line, String stdin) {
    Recorded recorded = Recorded.load("exec", line);

    Result result = rkt.runWithInput(stdin, recorded.args(ids));

    assertThat(result.exitCode()).isEqualTo(recorded.exitCode());
    assertThat(result.stdout()).isEqualTo(recorded.stdout(ids));
    assertThat(result.stderr()).isEqualTo(recorded.stderr(ids));
  }

  @Test
  void commandKilledBySignalKillsRkt() {
    Recorded recorded = Recorded.load("exec", 7);

    Result result = rkt.run(recorded.args(ids));

    assertThat(recorded.exitCode()).isEqualTo(-9);
    assertThat(result.exitCode()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  @Test
  void missingAppExitsSix() {
    Recorded recorded = Recorded.load("errors", 11);

    Result result = rkt.run(recorded.args(ids));

    assertThat(result.exitCode()).isEqualTo(6);
    assertThat(result.stderr()).isEqualTo(recorded.stderr());
  }

  @Test
  void commandRunsAsRootInRootDirectory() {
    Result result = rkt.run("enter", "--app=x", pod.uuid(), "/bin/sh", "-c", "pwd; id -u; echo $AC_APP_NAME");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout().lines().toList()).containsExactly("/", Long.toString(currentUid()), "x");
  }

  @Test
  void programInsideRootfsRunsFirst() throws Exception {
    Path tool = rkt.podDir(pod).resolve("stage1/rootfs/opt/stage2/x/rootfs/.rktlet/bin/tool");
    Files.createDirectories(tool.getParent());
    Files.writeString(tool, "#!/bin/sh\necho \"inside-rootfs $*\"\nexit 4\n");
    tool.toFile().setExecutable(true);

    Result enter = rkt.run("enter", "--app=x", pod.uuid(), "/.rktlet/bin/tool", "a", "b");
    Result exec = rkt.run("app", "exec", "--app=x", pod.uuid(), "/.rktlet/bin/tool", "c");

    assertThat(enter.exitCode()).isEqualTo(4);
    assertThat(enter.stdout()).isEqualTo("inside-rootfs a b\n");
    assertThat(exec.exitCode()).isEqualTo(4);
    assertThat(exec.stdout()).isEqualTo("inside-rootfs c\n");
  }

  @Test
  void programMissingFromRootfsAndHostFails() {
    Result result = rkt.run("enter", "--app=x", pod.uuid(), "/.rktlet/bin/tool");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).isEqualTo("Error: Unable to open \"/.rktlet/bin/tool\": No such file or directory\n");
  }

  @Test
  void multipleAppsNeedAppFlag() {
    rkt.run("app", "add", pod.uuid(), AppTest.IMAGE, "--name=y");

    Result result = rkt.run("enter", pod.uuid(), "/bin/true");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr()).isEqualTo("enter: pod contains multiple apps:\nenter: \tx\nenter: \ty\n"
        + "enter: unable to determine app name: specify app using \"rkt enter --app= ...\"\n");
  }

  @Test
  void killingRktLeavesCommandRunning() throws Exception {
    Path marker = rkt.scratch().resolve("finished");
    Process enter = rkt.start(rkt.command(List.of("enter", "--app=x", pod.uuid(), "/bin/sh", "-c",
        "sleep 1; echo finished > " + marker)), rkt.scratch().resolve("enter.out"));
    Thread.sleep(400);

    enter.destroy();

    assertThat(enter.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(enter.exitValue()).as("killed by SIGTERM").isEqualTo(128 + 15);
    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> Files.exists(marker))).isTrue();
  }

  @Test
  void killingProcessGroupEndsCommand() throws Exception {
    Path marker = rkt.scratch().resolve("finished");
    List<String> command = new ArrayList<>(List.of("setsid"));
    command.addAll(rkt.command(List.of("enter", "--app=x", pod.uuid(), "/bin/sh", "-c",
        "sleep 1; echo finished > " + marker)));
    Process enter = rkt.start(command, rkt.scratch().resolve("enter.out"));
    Thread.sleep(400);

    Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + enter.pid()).start();

    assertThat(kill.waitFor()).isZero();
    assertThat(enter.waitFor(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(1500);
    assertThat(marker).doesNotExist();
  }

  private static long currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
