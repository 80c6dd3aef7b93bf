package io.rktlet.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of a finished (or killed) process.
 *
 * @param argv the argument vector that was run
 * @param exitCode the exit status, or 128 + N when the process was killed by signal N
 * @param stdout captured standard output, truncated at the runner's capture limit
 * @param stderr captured standard error, truncated at the runner's capture limit
 * @param elapsed wall-clock time from start to exit
 * @param timedOut true when the runner killed the process because its deadline passed
 */
public record ProcessResult(
    List<String> argv,
    int exitCode,
    byte[] stdout,
    byte[] stderr,
    Duration elapsed,
    boolean timedOut) {

  public String stdoutText() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  public String stderrText() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
