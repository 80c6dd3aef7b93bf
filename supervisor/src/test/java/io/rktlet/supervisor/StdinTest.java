package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The child's stdin through the stdin FIFO, with and without stdin_once. */
class StdinTest extends SupervisorTestSupport {
  static final String ECHO_LINES = "while read l; do echo got-$l; done; echo eof";

  @Test
  void stdinStaysOpenAcrossWriters() throws InterruptedException {
    container.spec("stdin", "1").shell(ECHO_LINES);
    Process supervisor = startSupervisor();
    awaitState("running");

    ContainerDir.appendTo(container.stdinFifo(), "a\n");
    awaitLogLine("got-a");
    ContainerDir.appendTo(container.stdinFifo(), "b\n");
    awaitLogLine("got-b");
    Thread.sleep(300);

    assertThat(supervisor.isAlive()).isTrue();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("got-a", "got-b");
  }

  @Test
  void closeStdinCommandEndsInput() {
    container.spec("stdin", "1").shell(ECHO_LINES);
    Process supervisor = startSupervisor();
    awaitState("running");
    ContainerDir.appendTo(container.stdinFifo(), "a\n");
    awaitLogLine("got-a");

    container.control("close-stdin");
    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("got-a", "eof");
  }

  @Test
  void stdinOnceClosesAfterFirstWriter() {
    container.spec("stdin", "1").spec("stdin_once", "1").shell(ECHO_LINES);
    Process supervisor = startSupervisor();
    awaitState("running");

    ContainerDir.appendTo(container.stdinFifo(), "a\nb\n");
    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("got-a", "got-b", "eof");
  }

  @Test
  void withoutStdinChildReadsDevNull() {
    container.shell("readlink /proc/self/fd/0; cat; echo done");

    int exitCode = runSupervisor();

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("/dev/null", "done");
    assertThat(container.stdinFifo()).doesNotExist();
  }

  @Test
  void ttyStdinReachesTerminal() {
    container.spec("tty", "1").spec("stdin", "1").spec("stdin_once", "1")
        .shell("stty -echo; echo ready; read l; echo got-$l; read l2 || echo eof");
    Process supervisor = startSupervisor();
    awaitLogLine("ready");

    ContainerDir.appendTo(container.stdinFifo(), "typed\n");
    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("ready", "got-typed", "eof");
  }
}
