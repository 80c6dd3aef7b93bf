package io.rktlet.supervisor;

import static io.rktlet.supervisor.AttachClient.CLOSE_STDIN;
import static io.rktlet.supervisor.AttachClient.RESIZE;
import static io.rktlet.supervisor.AttachClient.STDERR;
import static io.rktlet.supervisor.AttachClient.STDIN;
import static io.rktlet.supervisor.AttachClient.STDOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The attach socket: output frames, stdin, resize and close-stdin frames, and slow clients. */
class AttachTest extends SupervisorTestSupport {

  AttachClient connect() {
    assertThat(eventually(() -> Files.exists(container.attachSocket()))).isTrue();
    return new AttachClient(container.attachSocket());
  }

  @Test
  void framesCarryStdoutStderrAndStdin() {
    container.spec("stdin", "1")
        .shell("read l; echo out-$l; echo err-$l >&2; read l2; echo bye-$l2");
    startSupervisor();

    try (AttachClient client = connect()) {
      client.send(STDIN, "hi\n");
      client.readUntil(c -> c.stream(STDERR).contains("err-hi"), WAIT);
      client.send(STDIN, "x\n");
      client.readUntil(AttachClient::endOfStream, WAIT);

      assertThat(client.stream(STDOUT)).isEqualTo("out-hi\nbye-x\n");
      assertThat(client.stream(STDERR)).isEqualTo("err-hi\n");
      assertThat(client.endOfStream()).isTrue();
    }
    assertThat(container.attachSocket()).doesNotExist();
  }

  @Test
  void closeStdinFrameEndsInput() {
    container.spec("stdin", "1").shell("cat; echo eof");
    Process supervisor = startSupervisor();

    try (AttachClient client = connect()) {
      client.send(STDIN, "abc\n");
      client.send(CLOSE_STDIN, "");
      client.readUntil(AttachClient::endOfStream, WAIT);

      assertThat(client.stream(STDOUT)).isEqualTo("abc\neof\n");
    }
    assertThat(Processes.waitFor(supervisor)).isZero();
  }

  @Test
  void stdinSurvivesClientDisconnect() {
    container.spec("stdin", "1").shell("while read l; do echo got-$l; done; echo eof");
    Process supervisor = startSupervisor();

    try (AttachClient first = connect()) {
      first.send(STDIN, "one\n");
      first.readUntil(c -> c.stream(STDOUT).contains("got-one"), WAIT);
    }
    try (AttachClient second = connect()) {
      second.send(STDIN, "two\n");
      second.readUntil(c -> c.stream(STDOUT).contains("got-two"), WAIT);

      assertThat(second.stream(STDOUT)).isEqualTo("got-two\n");
    }
    assertThat(supervisor.isAlive()).isTrue();
  }

  @Test
  void outputBeforeConnectIsNotReplayed() {
    container.spec("stdin", "1").shell("echo early; read go; echo late");
    startSupervisor();
    awaitLogLine("early");

    try (AttachClient client = connect()) {
      client.send(STDIN, "go\n");
      client.readUntil(AttachClient::endOfStream, WAIT);

      assertThat(client.stream(STDOUT)).isEqualTo("late\n");
    }
  }

  @Test
  void everyClientGetsOutput() {
    container.spec("stdin", "1").shell("read go; echo shared");
    startSupervisor();

    try (AttachClient first = connect(); AttachClient second = connect()) {
      first.send(STDIN, "go\n");
      first.readUntil(AttachClient::endOfStream, WAIT);
      second.readUntil(AttachClient::endOfStream, WAIT);

      assertThat(first.stream(STDOUT)).isEqualTo("shared\n");
      assertThat(second.stream(STDOUT)).isEqualTo("shared\n");
    }
  }

  @Test
  void resizeFrameSetsTerminalSize() {
    container.spec("tty", "1").spec("stdin", "1").shell("read l; stty size");
    Process supervisor = startSupervisor();

    try (AttachClient client = connect()) {
      client.send(RESIZE, "100 30");
      client.send(STDIN, "go\n");
      client.readUntil(AttachClient::endOfStream, WAIT);

      // The terminal echoes the typed line, then stty prints rows and columns.
      assertThat(client.stream(STDOUT)).isEqualTo("go\r\n30 100\r\n");
      assertThat(client.stream(STDERR)).isEmpty();
    }
    assertThat(Processes.waitFor(supervisor)).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("go", "30 100");
  }

  @Test
  void slowClientIsDroppedWithoutBlocking() {
    container.spec("stdin", "1").shell("read go; seq -f %0100g 1 40000");
    Process supervisor = startSupervisor();

    try (AttachClient client = connect()) {
      ContainerDir.appendTo(container.stdinFifo(), "go\n");
      int exitCode = Processes.waitFor(supervisor);
      client.readUntil(AttachClient::endOfStream, WAIT);

      assertThat(exitCode).isZero();
      assertThat(LogRecord.lines(container.logRecords(), "stdout"))
          .isEqualTo(IntStream.rangeClosed(1, 40000).mapToObj(i -> String.format("%0100d", i)).toList());
      assertThat(client.endOfStream()).isTrue();
      assertThat(client.receivedBytes()).isLessThan(40000L * 101);
      assertThat(supervisorStderr()).contains("dropping an attach client that did not read");
    }
  }
}
