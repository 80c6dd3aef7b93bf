package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes through {@code setsid}; no rkt is involved. */
class DetachedLauncherTest {
  private static final String SANDBOX_ID =
      "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tempDir;
  private final List<Long> launchedPids = new ArrayList<>();
  private final DetachedLauncher launcher = new DetachedLauncher(null);

  /** Kills what the tests launched, by PID: first the children, then the process itself. */
  @AfterEach
  void killLaunchedProcesses() {
    for (long pid : launchedPids) {
      ProcessHandle.of(pid).ifPresent(process -> {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      });
    }
  }

  @Test
  void launchDetachesIntoOwnSession() throws Exception {
    Path output = tempDir.resolve("sandboxes/" + SANDBOX_ID + "/console.log");

    LaunchedSandbox sandbox = launch(
        List.of("sh", "-c", "echo out; echo err >&2; sleep 30"), Map.of(), output);

    // The output appears only after setsid has run and exec'd the shell.
    waitForOutput(output, "out\nerr\n");
    assertThat(ProcessHandle.of(sandbox.pid())).hasValueSatisfying(
        process -> assertThat(process.isAlive()).isTrue());
    assertThat(sessionId(sandbox.pid())).isNotEqualTo(sessionId(ProcessHandle.current().pid()));
    // setsid did not fork: the returned process leads the new session.
    assertThat(sessionId(sandbox.pid())).isEqualTo(sandbox.pid());
    assertThat(sandbox.unitName()).isNull();
    assertThat(sandbox.exit()).isNotDone();
    assertThat(Files.readAllLines(output)).containsExactly("out", "err");
  }

  @Test
  void launchAppendsToExistingOutput() throws Exception {
    Path output = tempDir.resolve("console.log");
    Files.writeString(output, "earlier\n");

    LaunchedSandbox sandbox = launch(List.of("sh", "-c", "echo later"), Map.of(), output);

    assertThat(sandbox.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(Files.readString(output)).isEqualTo("earlier\nlater\n");
  }

  @Test
  void launchAddsEnvironmentToInherited() throws Exception {
    Path output = tempDir.resolve("console.log");

    LaunchedSandbox sandbox = launch(
        List.of("sh", "-c", "echo \"$RKT_EXPERIMENT_APP $PATH\""),
        Map.of("RKT_EXPERIMENT_APP", "true"), output);

    assertThat(sandbox.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(Files.readString(output).strip()).isEqualTo("true " + System.getenv("PATH"));
  }

  @Test
  void launchGivesEmptyStdin() throws Exception {
    Path output = tempDir.resolve("console.log");

    LaunchedSandbox sandbox =
        launch(List.of("sh", "-c", "cat; echo stdin closed"), Map.of(), output);

    assertThat(sandbox.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(Files.readString(output)).isEqualTo("stdin closed\n");
  }

  @Test
  void exitCompletesWithExitStatus() throws Exception {
    LaunchedSandbox sandbox =
        launch(List.of("sh", "-c", "exit 3"), Map.of(), tempDir.resolve("console.log"));

    assertThat(sandbox.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
  }

  @Test
  void missingProgramReportedInOutput() throws Exception {
    Path output = tempDir.resolve("console.log");

    LaunchedSandbox sandbox =
        launch(List.of("/nonexistent/rkt", "app", "sandbox"), Map.of(), output);

    assertThat(sandbox.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotZero();
    assertThat(Files.readString(output)).contains("/nonexistent/rkt");
  }

  @Test
  void launchFailsWhenOutputDirectoryCannotBeCreated() throws IOException {
    Path file = Files.writeString(tempDir.resolve("plain-file"), "");

    assertThatThrownBy(() -> launcher.launch(new LaunchRequest(SANDBOX_ID,
        List.of("true"), Map.of(), file.resolve("console.log"), "", List.of())))
        .isInstanceOf(IOException.class);
  }

  @Test
  void launchHelperJoinsCgroupsBeforeRktStarts() throws Exception {
    Path helper = io.rktlet.containerio.SupervisorBinary.install(tempDir.resolve("state"));
    Path procs = Files.writeString(tempDir.resolve("cgroup.procs"), "");
    Path output = tempDir.resolve("console.log");
    DetachedLauncher withHelper = new DetachedLauncher(helper);

    LaunchedSandbox sandbox = withHelper.launch(new LaunchRequest(SANDBOX_ID,
        List.of("sh", "-c", "echo started; sleep 30"), Map.of(), output, "", List.of(procs)));
    launchedPids.add(sandbox.pid());
    waitForOutput(output, "started\n");

    // The launch mode wrote its own PID, which became the command's after exec.
    assertThat(Files.readString(procs).strip()).isEqualTo(Long.toString(sandbox.pid()));
    assertThat(sessionId(sandbox.pid())).isEqualTo(sandbox.pid());
  }

  @Test
  void nameIsDetached() {
    assertThat(launcher.name()).isEqualTo("detached");
  }

  private LaunchedSandbox launch(List<String> argv, Map<String, String> environment, Path output)
      throws IOException {
    LaunchedSandbox sandbox =
        launcher.launch(new LaunchRequest(SANDBOX_ID, argv, environment, output, "", List.of()));
    launchedPids.add(sandbox.pid());
    return sandbox;
  }

  /** Returns field 6 of {@code /proc/<pid>/stat}, the session ID. */
  private static long sessionId(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // The command name (field 2) is in parentheses and may contain spaces, so split after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }

  private static void waitForOutput(Path output, String expected) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(output) && Files.readString(output).equals(expected)) {
        return;
      }
      Thread.sleep(20);
    }
  }
}
