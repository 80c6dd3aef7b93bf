package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A container directory in a temporary directory, and the processes a test starts on it. */
abstract class SupervisorTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);
  /** The supervisor's own environment, which the container's process must never see. */
  static final Map<String, String> SUPERVISOR_ENVIRONMENT =
      Map.of("PATH", ContainerDir.DEFAULT_PATH, "SUPERVISOR_ONLY", "leaked");

  @TempDir Path tempDir;
  final Processes processes = new Processes();
  ContainerDir container;

  @BeforeEach
  void createContainerDir() {
    container = new ContainerDir(tempDir.resolve("container"));
  }

  @AfterEach
  void killProcesses() {
    processes.close();
  }

  /** Writes the spec and starts {@code supervisor run} with stdin on /dev/null, as rkt does. */
  Process startSupervisor() {
    container.writeSpec();
    return processes.start(List.of(container.supervisor().toString(), "run"), SUPERVISOR_ENVIRONMENT,
        null, tempDir.resolve("supervisor.stdout"), tempDir.resolve("supervisor.stderr"));
  }

  /** Runs the supervisor until it exits and returns its exit code. */
  int runSupervisor() {
    return Processes.waitFor(startSupervisor());
  }

  /** Returns what the supervisor itself wrote on stderr. */
  String supervisorStderr() {
    try {
      return Files.readString(tempDir.resolve("supervisor.stderr"), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void awaitState(String state) {
    assertThat(eventually(() -> state.equals(container.status().get("state"))))
        .as("status state=%s within %s; status is %s", state, WAIT, container.status())
        .isTrue();
  }

  /** Waits until the log has a full stdout line equal to text. */
  void awaitLogLine(String text) {
    assertThat(eventually(() -> LogRecord.lines(LogRecord.readComplete(container.log()), "stdout").contains(text)))
        .as("log line \"%s\" within %s", text, WAIT)
        .isTrue();
  }

  static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }
}
