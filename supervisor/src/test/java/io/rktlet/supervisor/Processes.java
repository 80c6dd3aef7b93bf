package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the processes of one test and, on close, kills each of them and its descendants by
 * PID. Descendants are listed before anything is killed, because a child whose supervisor
 * died is no longer a descendant.
 */
final class Processes implements AutoCloseable {
  static final File DEV_NULL = new File("/dev/null");
  static final long TIMEOUT_SECONDS = 20;

  /** Output of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {}

  private final List<Process> started = new ArrayList<>();

  /** Starts a command with the given stdin (null: /dev/null) and output files. */
  Process start(List<String> command, Map<String, String> environment, File stdin, Path stdout,
      Path stderr) {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (environment != null) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    builder.redirectInput(stdin == null ? DEV_NULL : stdin);
    builder.redirectOutput(stdout.toFile());
    builder.redirectError(stderr.toFile());
    try {
      Process process = builder.start();
      started.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a command whose stdin and stdout are pipes to this JVM, with stderr in a file. */
  Process startPiped(List<String> command, Map<String, String> environment, Path stderr) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectError(stderr.toFile());
    try {
      Process process = builder.start();
      started.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to its end and returns its output, failing the test after a timeout. */
  Result run(List<String> command, Map<String, String> environment, String stdin, Path scratch) {
    try {
      Path in = Files.createTempFile(scratch, "stdin", "");
      Path out = Files.createTempFile(scratch, "stdout", "");
      Path err = Files.createTempFile(scratch, "stderr", "");
      Files.writeString(in, stdin == null ? "" : stdin, UTF_8);
      Process process = start(command, environment, in.toFile(), out, err);
      int exitCode = waitFor(process);
      return new Result(exitCode, Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int waitFor(Process process) {
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("process " + process.pid() + " still runs after "
            + TIMEOUT_SECONDS + " s");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs a short helper command such as mkfifo and fails the test unless it exits 0. */
  static void runQuietly(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(DEV_NULL).start();
      String output = new String(process.getInputStream().readAllBytes(), UTF_8);
      if (waitFor(process) != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a signal by name (for example CONT) to one process. */
  static void signal(long pid, String name) {
    runQuietly("kill", "-" + name, Long.toString(pid));
  }

  @Override
  public void close() {
    for (Process process : started) {
      List<ProcessHandle> descendants = process.descendants().toList();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      waitFor(process);
    }
    started.clear();
  }
}
