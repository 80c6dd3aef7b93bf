package io.rktlet.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run: its argument vector, extra environment, optional input and deadline.
 *
 * @param argv the program and its arguments, passed to the kernel as they are (never a shell)
 * @param environment variables added to the inherited environment
 * @param stdin bytes written to the process's standard input, or null for an empty input
 * @param timeout time after which the process and its descendants are killed
 * @param workingDirectory directory the process starts in, or null for rktlet's own
 */
public record ProcessSpec(
    List<String> argv,
    Map<String, String> environment,
    byte[] stdin,
    Duration timeout,
    Path workingDirectory) {

  public ProcessSpec {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(timeout, "timeout");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must name a program");
    }
  }

  public static ProcessSpec of(List<String> argv, Duration timeout) {
    return new ProcessSpec(argv, Map.of(), null, timeout, null);
  }
}
