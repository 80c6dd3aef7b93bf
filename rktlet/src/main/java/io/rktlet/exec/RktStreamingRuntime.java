package io.rktlet.exec;

import io.rktlet.rkt.RktCli;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.streaming.StreamTargets;
import io.rktlet.streaming.StreamingRuntime;
import io.rktlet.streaming.TerminalSize;
import io.rktlet.streaming.TerminalSizeQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the streaming server's sessions: exec through {@code rkt enter} and the supervisor,
 * attach through the supervisor's attach socket, and port forwarding into the pod's network
 * namespace.
 */
public final class RktStreamingRuntime implements StreamingRuntime, StreamTargets {
  private static final Logger log = LoggerFactory.getLogger(RktStreamingRuntime.class);
  /** How long a cancelled attach waits for its stdin forwarder before closing the socket. */
  private static final Duration STDIN_FINISH_TIMEOUT = Duration.ofSeconds(2);

  private final RktCli rkt;
  private final StateIndex index;
  private final ExecTargets targets;
  private final PortForwarder portForwarder;
  private final SessionListener sessions;

  public RktStreamingRuntime(RktCli rkt, StateIndex index, ExecTargets targets,
      PortForwarder portForwarder, SessionListener sessions) {
    this.rkt = rkt;
    this.index = index;
    this.targets = targets;
    this.portForwarder = portForwarder;
    this.sessions = sessions;
  }

  @Override
  public int exec(String containerId, List<String> command, boolean tty, InputStream stdin,
      OutputStream stdout, OutputStream stderr, TerminalSizeQueue resizes)
      throws IOException, InterruptedException {
    ExecTarget target = targets.running(containerId);
    sessions.opened();
    try {
      return runExec(target, command, tty, stdin, stdout, stderr, resizes);
    } finally {
      sessions.closed();
    }
  }

  private int runExec(ExecTarget target, List<String> command, boolean tty, InputStream stdin,
      OutputStream stdout, OutputStream stderr, TerminalSizeQueue resizes)
      throws IOException, InterruptedException {
    String containerId = target.containerId();
    String resizeFifo = tty ? "exec-" + UUID.randomUUID() + ".resize" : null;
    Path resizePath = resizeFifo == null ? null : target.containerDirectory().resolve(resizeFifo);
    if (resizePath != null) {
      makeFifo(resizePath);
    }
    try (ExecProcess exec = ExecProcess.start(rkt, target, command, tty, stdin != null,
        resizeFifo)) {
      Process process = exec.process();
      if (stdin != null) {
        StreamPumps.copy(stdin, process.getOutputStream());
      }
      CompletableFuture<Void> out = StreamPumps.copy(process.getInputStream(), stdout);
      CompletableFuture<Void> err = StreamPumps.copy(process.getErrorStream(),
          stderr != null ? stderr : OutputStream.nullOutputStream());
      if (resizePath != null) {
        StreamPumps.run(() -> forwardResizes(resizes, resizePath));
      }
      int exitCode = process.waitFor();
      out.join();
      err.join();
      log.debug("Exec in container {} exited with {}", containerId, exitCode);
      return exitCode;
    } finally {
      resizes.close();
      if (resizePath != null) {
        Files.deleteIfExists(resizePath);
      }
    }
  }

  @Override
  public void attach(String containerId, boolean tty, InputStream stdin, OutputStream stdout,
      OutputStream stderr, TerminalSizeQueue resizes) throws IOException, InterruptedException {
    ExecTarget target = targets.running(containerId);
    ContainerRecord container = index.container(target.containerId()).orElseThrow();
    boolean stdinOnce = container.config().getStdinOnce();
    sessions.opened();
    try (AttachConnection connection = AttachConnection.open(
        target.containerDirectory().resolve("attach.sock"))) {
      CompletableFuture<Void> input = stdin == null ? CompletableFuture.completedFuture(null)
          : StreamPumps.run(() -> forwardStdin(stdin, connection, stdinOnce));
      if (tty) {
        StreamPumps.run(() -> forwardResizes(resizes, connection));
      }
      awaitOutput(connection, stdout, stderr, input);
    } finally {
      resizes.close();
      sessions.closed();
    }
  }

  /**
   * Copies the container's output until it ends. The copy runs on a pump thread because an
   * interrupt of a thread blocked on the socket closes it: when the client goes away, the
   * session thread is interrupted, and the stdin forwarder must still be able to send the
   * close-stdin frame of {@code stdin_once} after the last stdin bytes.
   */
  private static void awaitOutput(AttachConnection connection, OutputStream stdout,
      OutputStream stderr, CompletableFuture<Void> input)
      throws IOException, InterruptedException {
    CompletableFuture<Void> output = StreamPumps.call(() -> {
      connection.copyOutput(stdout, stderr);
      return null;
    });
    try {
      output.get();
    } catch (InterruptedException e) {
      // The client's stdin has ended with the session, so the forwarder finishes at once.
      awaitInput(input);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("attach output failed: " + e.getCause(), e.getCause());
    }
  }

  private static void awaitInput(CompletableFuture<Void> input) {
    try {
      input.get(STDIN_FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Attach stdin forwarding did not finish within {}; closing the attach socket",
          STDIN_FINISH_TIMEOUT);
    } catch (ExecutionException e) {
      log.warn("Attach stdin forwarding failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public ByteChannel portForward(String podSandboxId, int port) throws IOException {
    SandboxRecord sandbox = index.findSandbox(podSandboxId).orElseThrow(
        () -> new IOException("sandbox " + podSandboxId + " not found"));
    return portForwarder.connect(sandbox, port, sessions);
  }

  @Override
  public State containerState(String containerId) {
    Optional<ContainerRecord> container = index.findContainer(containerId);
    if (container.isEmpty()) {
      return State.NOT_FOUND;
    }
    return container.get().phase() == ContainerRecord.Phase.RUNNING
        ? State.RUNNING : State.NOT_RUNNING;
  }

  @Override
  public State sandboxState(String podSandboxId) {
    Optional<SandboxRecord> sandbox = index.findSandbox(podSandboxId);
    if (sandbox.isEmpty()) {
      return State.NOT_FOUND;
    }
    return sandbox.get().phase() == SandboxRecord.Phase.READY
        ? State.RUNNING : State.NOT_RUNNING;
  }

  @Override
  public Optional<Boolean> containerTty(String containerId) {
    return index.findContainer(containerId).map(container -> container.config().getTty());
  }

  /**
   * Sends the client's stdin to the container. With the CRI's {@code stdin_once}, the
   * container's stdin closes when the first attach session that carries stdin ends, whether
   * the client ended its stdin or went away: WebSocket clients of protocol v4 can only do the
   * latter.
   */
  private static void forwardStdin(InputStream stdin, AttachConnection connection,
      boolean stdinOnce) {
    byte[] buffer = new byte[32 * 1024];
    try (stdin) {
      int read;
      while ((read = stdin.read(buffer)) != -1) {
        connection.send(AttachConnection.STDIN, buffer, read);
      }
    } catch (IOException e) {
      log.debug("Attach stdin ended: {}", e.toString());
    }
    if (stdinOnce) {
      try {
        connection.send(AttachConnection.CLOSE_STDIN, new byte[0], 0);
      } catch (IOException e) {
        // The supervisor has closed the connection, so the container has ended.
        log.debug("Cannot close the container's stdin after attach: {}", e.toString());
      }
    }
  }

  private static void forwardResizes(TerminalSizeQueue resizes, AttachConnection connection) {
    try {
      TerminalSize size;
      while ((size = resizes.take()) != null) {
        connection.sendResize(size.width(), size.height());
      }
    } catch (IOException | InterruptedException e) {
      log.debug("Attach resize forwarding ended: {}", e.toString());
    }
  }

  private static void forwardResizes(TerminalSizeQueue resizes, Path fifo) {
    // Opened for reading and writing: on Linux that never blocks, even before the supervisor
    // has opened its end.
    try (RandomAccessFile out = new RandomAccessFile(fifo.toFile(), "rw")) {
      TerminalSize size;
      while ((size = resizes.take()) != null) {
        out.write((size.width() + " " + size.height() + "\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException | InterruptedException e) {
      log.debug("Exec resize forwarding ended: {}", e.toString());
    }
  }

  private static void makeFifo(Path path) throws IOException, InterruptedException {
    Process mkfifo = new ProcessBuilder("mkfifo", "-m", "0600", path.toString())
        .redirectErrorStream(true).start();
    if (mkfifo.waitFor() != 0) {
      throw new IOException("cannot create " + path + ": " + new String(
          mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }
}
