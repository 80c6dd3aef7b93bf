package io.rktlet.exec;

import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.rkt.RktCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command running in a container through {@code rkt enter} and the supervisor's exec mode,
 * which gives it the container's user, groups, capabilities, seccomp filter, environment and
 * working directory; the cgroup handshake gives it the container's cgroups. {@code rkt enter}
 * runs in a session of its own, so a timeout or a cancelled stream kills the whole process
 * group (killing only {@code rkt enter} would leave the command running).
 */
final class ExecProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecProcess.class);
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final ExecTarget target;
  private final Process process;

  private ExecProcess(ExecTarget target, Process process) {
    this.target = target;
    this.process = process;
  }

  /**
   * Starts the command and completes the cgroup handshake.
   *
   * @param resizeFifo name of a resize FIFO in the container directory, or null
   */
  static ExecProcess start(RktCli rkt, ExecTarget target, List<String> command, boolean tty,
      boolean stdin, String resizeFifo) throws IOException, InterruptedException {
    List<String> supervisor = new ArrayList<>(List.of(ContainerDirectory.SUPERVISOR, "exec"));
    if (tty) {
      supervisor.add("--tty");
    }
    if (stdin) {
      supervisor.add("--stdin");
    }
    if (resizeFifo != null) {
      // A plain name: the supervisor finds it in its container directory.
      supervisor.add("--resize-fifo=" + resizeFifo);
    }
    supervisor.add("--");
    supervisor.addAll(command);
    List<String> argv = new ArrayList<>(List.of("setsid"));
    argv.addAll(rkt.enterCommand(target.podUuid(), target.appName(), supervisor));
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().putAll(rkt.environment());
    if (!stdin) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process process = builder.start();
    ExecProcess exec = new ExecProcess(target, process);
    if (!CgroupHandshake.complete(process, target.cgroupProcsFiles(), HANDSHAKE_TIMEOUT)) {
      String error = process.isAlive() ? "" : new String(
          process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      exec.kill();
      throw new IOException("cannot exec in container " + target.containerId()
          + (error.isEmpty() ? ": the command did not start" : ": " + error));
    }
    return exec;
  }

  Process process() {
    return process;
  }

  /**
   * Kills the command's whole process group (rkt enter leads it), also after rkt enter itself
   * has exited, so nothing the command started in the background outlives the exec.
   */
  void kill() {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor();
    } catch (IOException e) {
      log.warn("Cannot kill the process group of exec {} in container {}: {}", process.pid(),
          target.containerId(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  Path containerDirectory() {
    return target.containerDirectory();
  }

  /**
   * Ends the exec. A command that is still running (a timeout or a cancelled stream) is killed
   * with its whole process group. After a normal exit only rktlet's ends of the pipes close:
   * what the command started in the background stays in the container, as with runc.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
      return;
    }
    closeQuietly(process.getOutputStream());
    closeQuietly(process.getInputStream());
    closeQuietly(process.getErrorStream());
  }

  private void closeQuietly(java.io.Closeable stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // The command has exited, so only a descriptor is at stake.
      log.debug("Cannot close a pipe of exec {} in container {}: {}", process.pid(),
          target.containerId(), e.toString());
    }
  }
}
