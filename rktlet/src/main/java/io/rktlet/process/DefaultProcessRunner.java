package io.rktlet.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs processes with {@link ProcessBuilder}, reading stdout and stderr on pooled threads so a
 * chatty process can never block on a full pipe, and killing the whole process tree when the
 * deadline passes.
 */
public final class DefaultProcessRunner implements ProcessRunner {
  private static final Logger log = LoggerFactory.getLogger(DefaultProcessRunner.class);

  /** Output beyond this many bytes per stream is read and discarded. */
  public static final int DEFAULT_CAPTURE_LIMIT_BYTES = 16 * 1024 * 1024;

  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  private final ExecutorService readers;
  private final int captureLimitBytes;

  public DefaultProcessRunner() {
    this(DEFAULT_CAPTURE_LIMIT_BYTES);
  }

  public DefaultProcessRunner(int captureLimitBytes) {
    this.captureLimitBytes = captureLimitBytes;
    this.readers =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "process-output-reader");
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public ProcessResult run(ProcessSpec spec) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(spec.argv());
    builder.environment().putAll(spec.environment());
    if (spec.workingDirectory() != null) {
      builder.directory(spec.workingDirectory().toFile());
    }
    if (spec.stdin() == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    long startNanos = System.nanoTime();
    Process process = builder.start();
    OutputCapture stdout = capture(process.getInputStream());
    OutputCapture stderr = capture(process.getErrorStream());
    if (spec.stdin() != null) {
      writeInput(process, spec.stdin());
    }
    boolean timedOut = !waitFor(process, spec.timeout());
    if (timedOut) {
      log.warn("Killing {} (pid {}) after its {} ms deadline passed",
          spec.argv().get(0), process.pid(), spec.timeout().toMillis());
      killTree(process);
    }
    int exitCode = exitCodeOf(process);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    return new ProcessResult(
        spec.argv(), exitCode, stdout.await(KILL_GRACE), stderr.await(KILL_GRACE), elapsed,
        timedOut);
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Kills the process and every descendant it started, children first. */
  public static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int exitCodeOf(Process process) {
    if (process.isAlive()) {
      // The process ignored SIGKILL within the grace period (for example stuck in the kernel).
      return -1;
    }
    return process.exitValue();
  }

  private static void writeInput(Process process, byte[] input) {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    } catch (IOException e) {
      // The process closed its input early; its exit status tells the caller what happened.
      log.debug("Process {} closed stdin before reading all input: {}", process.pid(), e.toString());
    }
  }

  private OutputCapture capture(InputStream stream) {
    return OutputCapture.start(stream, captureLimitBytes, readers);
  }
}
