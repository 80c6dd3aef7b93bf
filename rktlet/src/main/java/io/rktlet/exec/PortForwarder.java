package io.rktlet.exec;

import io.rktlet.state.SandboxRecord;
import io.rktlet.streaming.HalfCloseableChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects to a port inside a pod's network namespace. The pod's process (systemd-nspawn,
 * {@code pid=} of {@code rkt status}) already lives there, so {@code nsenter} into its network
 * namespace runs the supervisor's {@code connect} mode, which relays its stdin and stdout to a
 * TCP connection to 127.0.0.1:PORT. That works for pods on the host network too.
 */
public final class PortForwarder {
  /**
   * How long nsenter and the relay may take to connect. A loopback connect is accepted or
   * refused at once, so only a stuck nsenter comes near it.
   */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The stderr line of {@code supervisor connect --announce} once it is connected. */
  private static final String ANNOUNCEMENT = "connected";

  private final Path supervisorBinary;
  private final ExecutorService stderrReaders = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "port-forward-connect");
    thread.setDaemon(true);
    return thread;
  });

  public PortForwarder(Path supervisorBinary) {
    this.supervisorBinary = supervisorBinary;
  }

  ByteChannel connect(SandboxRecord sandbox, int port, SessionListener sessions)
      throws IOException {
    if (sandbox.podPid() <= 0 || sandbox.phase() != SandboxRecord.Phase.READY) {
      throw new IOException("sandbox " + sandbox.id() + " is not ready");
    }
    List<String> argv = List.of("nsenter", "--target=" + sandbox.podPid(), "--net", "--",
        supervisorBinary.toString(), "connect", "--announce", "127.0.0.1",
        Integer.toString(port));
    Process process = new ProcessBuilder(argv).start();
    String firstLine = awaitFirstLine(process, sandbox, port);
    if (!ANNOUNCEMENT.equals(firstLine)) {
      // The relay failed and exits. Its message is the first line and whatever follows.
      // Process.destroyForcibly closes the pipes, so the rest is read before it.
      String rest = new String(process.getErrorStream().readAllBytes(),
          StandardCharsets.UTF_8);
      String error = (firstLine + "\n" + rest).strip();
      process.destroyForcibly();
      throw new IOException(error.isEmpty() ? "cannot connect to port " + port
          + " in sandbox " + sandbox.id() : error);
    }
    sessions.opened();
    return new ProcessChannel(process, sessions);
  }

  /** Returns the relay's first stderr line, or "" when it ended without writing one. */
  private String awaitFirstLine(Process process, SandboxRecord sandbox, int port)
      throws IOException {
    Future<String> line = stderrReaders.submit(() -> readLine(process.getErrorStream()));
    try {
      return line.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("timed out after " + CONNECT_TIMEOUT.toSeconds()
          + " s connecting to port " + port + " in sandbox " + sandbox.id());
    } catch (ExecutionException e) {
      process.destroyForcibly();
      throw new IOException("cannot read the relay's output for port " + port + " in sandbox "
          + sandbox.id(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while connecting to port " + port, e);
    }
  }

  /** Reads up to a newline or end of file, one byte at a time so nothing after it is taken. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /**
   * The relay process's stdout to read from and stdin to write to. Closing its stdin makes the
   * supervisor shut down the sending side of its TCP connection.
   */
  private static final class ProcessChannel implements HalfCloseableChannel {
    private final Process process;
    private final InputStream in;
    private final OutputStream out;
    private final SessionListener sessions;
    private volatile boolean open = true;

    ProcessChannel(Process process, SessionListener sessions) {
      this.process = process;
      this.sessions = sessions;
      this.in = process.getInputStream();
      this.out = process.getOutputStream();
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
      byte[] buffer = new byte[Math.min(destination.remaining(), 64 * 1024)];
      int read = in.read(buffer);
      if (read > 0) {
        destination.put(buffer, 0, read);
      }
      return read;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      int length = source.remaining();
      byte[] buffer = new byte[length];
      source.get(buffer);
      out.write(buffer);
      out.flush();
      return length;
    }

    @Override
    public void shutdownOutput() throws IOException {
      out.close();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public synchronized void close() {
      if (open) {
        open = false;
        process.destroy();
        sessions.closed();
      }
    }
  }
}
