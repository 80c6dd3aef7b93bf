package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ContainerState;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.ReopenContainerLogRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's CRI log files, read from {@code log_directory/log_path}: every line exactly
 * once, with the right stream and {@code P}/{@code F} tag, also across log rotation and while
 * rktlet is down.
 */
class LogsIT extends RktletTestBase {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  /** Maximum bytes of text in one CRI log record. Longer lines are split. */
  private static final int MAX_RECORD_BYTES = 16 * 1024;

  private PodSandboxConfig pod;
  private String podId;

  @BeforeEach
  void startPod() {
    pull("busybox");
    pod = podConfig("logs");
    podId = runPod(pod);
  }

  @Test
  void burstFromAppThatExitsAtOnce() throws Exception {
    ContainerConfig config = Requests.container("burst", "busybox", List.of("/bin/sh", "-c",
        "i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done"));

    String id = startContainer(podId, pod, config);

    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<CriLog.Record> records = CriLog.records(logFile(pod, config));
    assertThat(records).extracting(CriLog.Record::stream).containsOnly("stdout");
    assertThat(records).extracting(CriLog.Record::tag).containsOnly("F");
    assertEveryLineOnceInOrder(CriLog.lines(records, "stdout"), numbered("line-", 20_000));
  }

  @Test
  void interleavedStdoutAndStderr() throws Exception {
    ContainerConfig config = Requests.container("mixed", "busybox", List.of("/bin/sh", "-c",
        "i=0; while [ $i -lt 2000 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); done"));

    String id = startContainer(podId, pod, config);

    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<CriLog.Record> records = CriLog.records(logFile(pod, config));
    assertThat(records).extracting(CriLog.Record::tag).containsOnly("F");
    assertThat(records).hasSize(4000);
    assertEveryLineOnceInOrder(CriLog.lines(records, "stdout"), numbered("out-", 2000));
    assertEveryLineOnceInOrder(CriLog.lines(records, "stderr"), numbered("err-", 2000));
  }

  @Test
  void longLineIsSplitIntoPartialRecords() throws Exception {
    // 12,800 fields of 8 bytes: a line of 102,400 bytes, then a short one.
    String longLine = IntStream.range(0, 12_800).mapToObj(i -> String.format("%07d,", i))
        .collect(Collectors.joining());
    ContainerConfig config = Requests.container("long", "busybox", List.of("python3", "-c",
        "import sys; sys.stdout.write(''.join('%07d,' % i for i in range(12800)) + '\\n');"
            + " sys.stdout.write('after\\n')"));

    String id = startContainer(podId, pod, config);

    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<CriLog.Record> records = CriLog.records(logFile(pod, config));
    assertThat(records).extracting(CriLog.Record::stream).containsOnly("stdout");
    assertThat(records).extracting(CriLog.Record::tag)
        .containsExactly("P", "P", "P", "P", "P", "P", "F", "F");
    for (CriLog.Record partial : records.subList(0, 6)) {
      assertThat(partial.text()).hasSize(MAX_RECORD_BYTES);
    }
    assertThat(records.get(6).text()).hasSize(longLine.length() - 6 * MAX_RECORD_BYTES);
    assertThat(CriLog.lines(records, "stdout")).containsExactly(longLine, "after");
  }

  @Test
  void lastLineWithoutNewlineIsFull() throws Exception {
    ContainerConfig config = Requests.container("unterminated", "busybox", List.of("/bin/sh",
        "-c", "printf 'out-first\\nout-'; printf 'err-first\\nerr-' >&2;"
            + " printf 'last'; printf 'last' >&2"));

    String id = startContainer(podId, pod, config);

    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<CriLog.Record> records = CriLog.records(logFile(pod, config));
    assertThat(records).extracting(CriLog.Record::tag).containsOnly("F");
    assertThat(CriLog.lines(records, "stdout")).containsExactly("out-first", "out-last");
    assertThat(CriLog.lines(records, "stderr")).containsExactly("err-first", "err-last");
  }

  @Test
  void reopenAfterRotationDuringSteadyStream() throws Exception {
    Path stop = dir.resolve("stop-rotating");
    ContainerConfig config = Requests.container("rotating", "busybox",
        writeUntilExists(stop));
    Path log = logFile(pod, config);
    String id = startContainer(podId, pod, config);
    awaitLineCount(log, 100);

    // The kubelet's rotation: rename the file, then ask the runtime to reopen it.
    Path rotated = log.resolveSibling(log.getFileName() + ".20261204-185301");
    Files.move(log, rotated);
    cri.runtime().reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(id)
        .build());

    assertThat(log).exists();
    assertThat(Files.isSameFile(log, rotated)).isFalse();
    awaitLineCount(log, 100);
    Files.createFile(stop);
    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<String> before = CriLog.lines(rotated, "stdout");
    List<String> after = CriLog.lines(log, "stdout");
    assertThat(before).hasSizeGreaterThanOrEqualTo(100);
    assertThat(after).hasSizeGreaterThanOrEqualTo(100);
    assertCompleteCount(concat(before, after));
    assertThat(CriLog.records(rotated)).extracting(CriLog.Record::stream).containsOnly("stdout");
    assertThat(CriLog.records(log)).extracting(CriLog.Record::stream).containsOnly("stdout");
  }

  @Test
  void linesLoggedWhileRktletIsDown() throws Exception {
    Path stop = dir.resolve("stop-steady");
    ContainerConfig config = Requests.container("steady", "busybox", writeUntilExists(stop));
    Path log = logFile(pod, config);
    String id = startContainer(podId, pod, config);
    int linesBeforeKill = awaitLineCount(log, 50);

    cri.close();
    rktlet.kill();
    // The supervisor writes the file itself, so it keeps growing while rktlet is down.
    awaitLineCount(log, linesBeforeKill + 100);
    rktlet.start();
    cri = new CriClient(rktlet.socket());

    assertThat(containerStatus(id).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    Files.createFile(stop);
    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<CriLog.Record> records = CriLog.records(log);
    assertThat(records).extracting(CriLog.Record::stream).containsOnly("stdout");
    assertThat(records).extracting(CriLog.Record::tag).containsOnly("F");
    assertCompleteCount(CriLog.lines(records, "stdout"));
  }

  @Test
  void ttyOutputIsLoggedAsStdout() throws Exception {
    ContainerConfig config = Requests.container("terminal", "busybox", List.of("/bin/sh", "-c",
        "echo to-stdout; echo to-stderr >&2")).toBuilder().setTty(true).build();

    String id = startContainer(podId, pod, config);

    assertThat(awaitExited(id, EXIT_TIMEOUT).getExitCode()).isZero();
    List<CriLog.Record> records = CriLog.records(logFile(pod, config));
    assertThat(records).extracting(CriLog.Record::stream).containsOnly("stdout");
    assertThat(records).extracting(CriLog.Record::tag).containsOnly("F");
    // The terminal ends lines with \r\n, and the log drops the \r as containerd does.
    assertThat(CriLog.lines(records, "stdout")).containsExactly("to-stdout", "to-stderr");
  }

  /**
   * Returns a command that prints {@code line-0}, {@code line-1}, ... every few milliseconds
   * until {@code stop} exists, then {@code total-N} with the number of lines printed.
   */
  private static List<String> writeUntilExists(Path stop) {
    return List.of("/bin/sh", "-c", "i=0; while [ ! -e '" + stop + "' ]; do echo line-$i;"
        + " i=$((i+1)); sleep 0.002; done; echo total-$i");
  }

  /** Waits until the file has at least {@code count} stdout lines; returns how many it has. */
  private static int awaitLineCount(Path log, int count) throws InterruptedException {
    return await(() -> stdoutLineCount(log), lines -> lines >= count, Duration.ofSeconds(30));
  }

  private static int stdoutLineCount(Path log) {
    try {
      return CriLog.lines(log, "stdout").size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Checks the output of {@link #writeUntilExists}: {@code line-0} to {@code line-(N-1)} in
   * order, each once, then {@code total-N}.
   */
  private static void assertCompleteCount(List<String> lines) {
    assertThat(lines).isNotEmpty();
    String last = lines.get(lines.size() - 1);
    assertThat(last).startsWith("total-");
    int total = Integer.parseInt(last.substring("total-".length()));
    assertEveryLineOnceInOrder(lines.subList(0, lines.size() - 1), numbered("line-", total));
  }

  /** Checks duplicates, missing lines and order separately, so a failure names its cause. */
  private static void assertEveryLineOnceInOrder(List<String> actual, List<String> expected) {
    assertThat(duplicates(actual)).as("lines logged more than once").isEmpty();
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(new HashSet<>(actual));
    assertThat(missing).as("lines missing from the log").isEmpty();
    Set<String> unexpected = new LinkedHashSet<>(actual);
    unexpected.removeAll(new HashSet<>(expected));
    assertThat(unexpected).as("lines the app did not print").isEmpty();
    assertThat(actual.equals(expected)).as("lines in the order printed").isTrue();
  }

  private static Set<String> duplicates(List<String> lines) {
    Set<String> seen = new HashSet<>();
    return lines.stream().filter(line -> !seen.add(line))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static List<String> numbered(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
