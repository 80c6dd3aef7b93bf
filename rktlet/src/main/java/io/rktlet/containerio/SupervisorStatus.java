package io.rktlet.containerio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The supervisor's status file: the child's state, pid, times and true exit status.
 *
 * @param state {@code running}, {@code exited} or {@code failed}
 * @param exitCode the exit code, 128 + signal for a child killed by a signal, or -1
 * @param signal the signal that killed the child, or 0
 * @param startedAtNanos Unix nanoseconds, 0 when absent
 * @param finishedAtNanos Unix nanoseconds, 0 when absent
 * @param reopened how many log reopen commands the supervisor has handled
 * @param records how many log records the supervisor had written when it wrote the file
 * @param error why the child could not be started, or null
 * @param logError why the last open or write of the log failed, or null
 */
public record SupervisorStatus(
    String state,
    int exitCode,
    int signal,
    long startedAtNanos,
    long finishedAtNanos,
    long reopened,
    long records,
    String error,
    String logError) {

  public boolean isRunning() {
    return "running".equals(state);
  }

  /** True once the child has ended or could not be started. */
  public boolean hasEnded() {
    return "exited".equals(state) || "failed".equals(state);
  }

  public boolean failedToStart() {
    return "failed".equals(state);
  }

  /** Reads the file; empty when the supervisor has not written it yet. */
  public static Optional<SupervisorStatus> read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        fields.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    if (!fields.containsKey("state")) {
      return Optional.empty();
    }
    return Optional.of(new SupervisorStatus(
        fields.get("state"),
        (int) number(fields, "exit_code", -1),
        (int) number(fields, "signal", 0),
        number(fields, "started_at", 0),
        number(fields, "finished_at", 0),
        number(fields, "reopened", 0),
        number(fields, "records", 0),
        fields.get("error"),
        fields.get("log_error")));
  }

  private static long number(Map<String, String> fields, String key, long fallback) {
    String value = fields.get(key);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
