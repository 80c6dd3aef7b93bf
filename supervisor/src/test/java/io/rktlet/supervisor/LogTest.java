package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRI log records that run mode writes for the child's output. */
class LogTest extends SupervisorTestSupport {

  @Test
  void burstFromExitingChildIsComplete() {
    container.command("seq", "-f", "line-%g", "1", "20000");

    int exitCode = runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(exitCode).isZero();
    assertThat(records).hasSize(20000);
    assertThat(records).allSatisfy(record -> {
      assertThat(record.stream()).isEqualTo("stdout");
      assertThat(record.tag()).isEqualTo('F');
    });
    assertThat(records.stream().map(LogRecord::text).toList())
        .isEqualTo(IntStream.rangeClosed(1, 20000).mapToObj(i -> "line-" + i).toList());
  }

  @Test
  void finalStatusCountsEveryRecord() {
    container.shell("seq 1 5; echo err >&2; head -c 40000 /dev/zero | tr '\\0' x");

    runSupervisor();

    // 5 + 1 full lines, then 40,000 bytes without a newline: two P records and a final F.
    assertThat(container.logRecords()).hasSize(9);
    assertThat(container.status()).containsEntry("records", "9");
  }

  @Test
  void runningStatusCountsRecordsAfterPause() {
    container.spec("stdin", "1").shell("seq 1 3; read line");
    startSupervisor();
    awaitLogLine("3");

    // The status is refreshed within 5 s of the last record even though no more output comes.
    assertThat(eventually(() -> "3".equals(container.status().get("records"))))
        .as("records=3 within %s; status is %s", WAIT, container.status()).isTrue();
    assertThat(container.status()).containsEntry("state", "running");
  }

  @Test
  void interleavedStreamsKeepTheirOrder() {
    container.shell("for i in $(seq 1 500); do echo out-$i; echo err-$i >&2; done");

    runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(LogRecord.lines(records, "stdout"))
        .isEqualTo(IntStream.rangeClosed(1, 500).mapToObj(i -> "out-" + i).toList());
    assertThat(LogRecord.lines(records, "stderr"))
        .isEqualTo(IntStream.rangeClosed(1, 500).mapToObj(i -> "err-" + i).toList());
  }

  @Test
  void timestampsAreOrderedUtcNanoseconds() {
    container.shell("echo one; echo two >&2; echo three");

    runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(records).hasSize(3);
    for (int i = 1; i < records.size(); i++) {
      assertThat(records.get(i).time()).isAfterOrEqualTo(records.get(i - 1).time());
    }
  }

  @Test
  void longLineIsSplitIntoPartialRecords() {
    container.shell("head -c 102400 /dev/zero | tr '\\0' x; echo; echo next");

    runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(records).hasSize(8);
    for (int i = 0; i < 6; i++) {
      assertThat(records.get(i).tag()).as("record %d", i).isEqualTo('P');
      assertThat(records.get(i).text()).as("record %d", i).hasSize(16384);
    }
    assertThat(records.get(6).tag()).isEqualTo('F');
    assertThat(records.get(6).text()).hasSize(102400 - 6 * 16384);
    assertThat(LogRecord.lines(records, "stdout")).containsExactly("x".repeat(102400), "next");
  }

  @Test
  void lineOfExactlyMaxLengthIsOneRecord() {
    container.shell("head -c 16384 /dev/zero | tr '\\0' y; printf '\\r\\n'; "
        + "head -c 16385 /dev/zero | tr '\\0' z; echo");

    runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(records).extracting(LogRecord::tag).containsExactly('F', 'P', 'F');
    assertThat(records.get(0).text()).isEqualTo("y".repeat(16384));
    assertThat(records.get(2).text()).isEqualTo("z");
  }

  @Test
  void finalPartialLineIsFull() {
    container.shell("printf 'first\\nno-newline'; printf 'err-no-newline' >&2");

    runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(LogRecord.lines(records, "stdout")).containsExactly("first", "no-newline");
    assertThat(LogRecord.lines(records, "stderr")).containsExactly("err-no-newline");
    assertThat(records).extracting(LogRecord::tag).containsOnly('F');
  }

  @Test
  void carriageReturnBeforeNewlineIsDropped() {
    container.shell("printf 'dos\\r\\nmid\\rdle\\n\\n'");

    runSupervisor();

    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("dos", "mid\rdle", "");
  }

  @Test
  void ttyOutputIsLoggedAsStdout() {
    container.spec("tty", "1").shell("[ -t 1 ] && echo on-tty; echo to-stderr >&2");

    runSupervisor();

    List<LogRecord> records = container.logRecords();
    assertThat(records).extracting(LogRecord::stream).containsOnly("stdout");
    assertThat(LogRecord.lines(records, "stdout")).containsExactly("on-tty", "to-stderr");
  }

  @Test
  void logOffWritesNoFile() {
    container.spec("log", "0").shell("echo hidden");

    int exitCode = runSupervisor();

    assertThat(exitCode).isZero();
    assertThat(container.log()).doesNotExist();
  }

  @Test
  void grandchildHoldingOutputDoesNotDelayExit() {
    container.shell("(sleep 5; echo late) & echo main");
    long start = System.nanoTime();

    int exitCode = runSupervisor();

    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(exitCode).isZero();
    assertThat(elapsedMillis).isLessThan(3000);
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("main");
    assertThat(container.status()).containsEntry("state", "exited");
  }

  @Test
  void logFileNameSelectsFileInLogDirectory() {
    container.spec("log_file", "0.log").shell("echo one; echo two >&2");

    int exitCode = runSupervisor();

    List<LogRecord> records = LogRecord.readAll(container.logFile("0.log"));
    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(records, "stdout")).containsExactly("one");
    assertThat(LogRecord.lines(records, "stderr")).containsExactly("two");
    assertThat(container.log()).doesNotExist();
  }

  static Stream<String> invalidLogFileNames() {
    return Stream.of("", "a/b", "/abs", "0.log/", ".", "..", "x".repeat(256));
  }

  @ParameterizedTest
  @MethodSource("invalidLogFileNames")
  void invalidLogFileFailsStart(String name) {
    container.spec("log_file", name).shell("echo never");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status()).containsEntry("state", "failed").containsEntry("exit_code", "128");
    assertThat(container.status().get("error")).startsWith("invalid spec value log_file=" + name + ": ");
  }
}
