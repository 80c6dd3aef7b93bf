package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signals that reach the child's process group: through the control FIFO, or sent to the supervisor. */
class SignalTest extends SupervisorTestSupport {
  static final String TRAP_TERM = "trap 'echo got-TERM; exit 0' TERM; echo ready; "
      + "while true; do sleep 0.05; done";

  @Test
  void controlSignalReachesChild() {
    container.shell(TRAP_TERM);
    Process supervisor = startSupervisor();
    awaitLogLine("ready");

    container.control("signal 15");
    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("ready", "got-TERM");
  }

  @Test
  void controlSignalKillsChild() {
    container.shell("echo ready; while true; do sleep 0.05; done");
    Process supervisor = startSupervisor();
    awaitLogLine("ready");

    container.control("signal 9");
    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isEqualTo(137);
    assertThat(container.status()).containsEntry("signal", "9");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TERM", "INT", "HUP", "QUIT", "USR1", "USR2"})
  void supervisorForwardsSignal(String name) {
    container.shell("trap 'echo got-" + name + "; exit 7' " + name + "; echo ready; "
        + "while true; do sleep 0.05; done");
    Process supervisor = startSupervisor();
    awaitLogLine("ready");

    Processes.signal(supervisor.pid(), name);
    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isEqualTo(7);
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("ready", "got-" + name);
  }

  @Test
  void invalidControlCommandIsIgnored() {
    container.shell(TRAP_TERM);
    Process supervisor = startSupervisor();
    awaitLogLine("ready");

    container.control("signal banana");
    container.control("signal 15");
    Processes.waitFor(supervisor);

    assertThat(supervisorStderr()).contains("ignoring invalid control command \"signal banana\"");
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("ready", "got-TERM");
  }
}
