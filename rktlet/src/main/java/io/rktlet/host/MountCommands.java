package io.rktlet.host;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs util-linux {@code mount} and {@code umount} as argument vectors with a deadline. */
final class MountCommands {
  private static final Logger log = LoggerFactory.getLogger(MountCommands.class);

  private final ProcessRunner runner;
  private final Duration timeout;

  MountCommands(ProcessRunner runner, Duration timeout) {
    this.runner = runner;
    this.timeout = timeout;
  }

  /** Runs the command and raises an IOException with its argv and stderr when it fails. */
  void run(String... argv) throws IOException {
    ProcessResult result = tryRun(argv);
    if (!result.succeeded()) {
      throw failure(result);
    }
  }

  /** Runs the command and returns its result, whether it failed or not. */
  ProcessResult tryRun(String... argv) throws IOException {
    ProcessResult result = runner.run(ProcessSpec.of(List.of(argv), timeout));
    log.trace("Ran {}: exit code {}", String.join(" ", argv), result.exitCode());
    return result;
  }

  /** Describes a failed command: its argv, and its exit code and stderr or its timeout. */
  static IOException failure(ProcessResult result) {
    String command = String.join(" ", result.argv());
    if (result.timedOut()) {
      return new IOException(command + " timed out after " + result.elapsed().toMillis() + " ms");
    }
    return new IOException(command + " failed with exit code " + result.exitCode() + ": "
        + result.stderrText().strip());
  }
}
