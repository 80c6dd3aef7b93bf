package io.rktlet.rkt;

import io.rktlet.process.ProcessResult;
import java.util.List;

/** A rkt command that failed, with its argument vector, exit code and trimmed stderr. */
public final class RktException extends RuntimeException {
  private static final int MAX_STDERR_CHARS = 2000;

  private final RktFailure failure;
  private final List<String> argv;
  private final int exitCode;
  private final String stderr;

  public RktException(RktFailure failure, List<String> argv, int exitCode, String stderr) {
    super(describe(failure, argv, exitCode, stderr));
    this.failure = failure;
    this.argv = List.copyOf(argv);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  static RktException of(ProcessResult result) {
    if (result.timedOut()) {
      return new RktException(RktFailure.TIMEOUT, result.argv(), result.exitCode(),
          trim(result.stderrText()));
    }
    String stderr = trim(result.stderrText());
    return new RktException(
        RktErrorClassifier.classify(stderr), result.argv(), result.exitCode(), stderr);
  }

  public RktFailure failure() {
    return failure;
  }

  public List<String> argv() {
    return argv;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }

  /** Returns the last lines of stderr that are not rkt's harmless warnings. */
  public String reason() {
    return RktWarnings.strip(stderr);
  }

  private static String describe(RktFailure failure, List<String> argv, int exitCode,
      String stderr) {
    String command = argv.size() > 1 ? String.join(" ", argv.subList(1, argv.size())) : "";
    if (failure == RktFailure.TIMEOUT) {
      return "rkt " + RktArgs.subcommandOf(argv) + " timed out: " + command;
    }
    return "rkt " + RktArgs.subcommandOf(argv) + " failed with exit code " + exitCode + ": "
        + RktWarnings.strip(stderr);
  }

  private static String trim(String text) {
    String trimmed = text.strip();
    if (trimmed.length() > MAX_STDERR_CHARS) {
      return "..." + trimmed.substring(trimmed.length() - MAX_STDERR_CHARS);
    }
    return trimmed;
  }
}
