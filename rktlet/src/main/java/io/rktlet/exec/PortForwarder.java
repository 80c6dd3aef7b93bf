package io.rktlet.exec;

import io.rktlet.state.SandboxRecord;
import io.rktlet.streaming.HalfCloseableChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects to a port inside a pod's network namespace. The pod's process (systemd-nspawn,
 * {@code pid=} of {@code rkt status}) already lives there, so {@code nsenter} into its network
 * namespace runs the supervisor's {@code connect} mode, which relays its stdin and stdout to a
 * TCP connection to 127.0.0.1:PORT. That works for pods on the host network too.
 */
public final class PortForwarder {
  /** How long a failed connect may take to show before the connection counts as made. */
  private static final long CONNECT_GRACE_MILLIS = 200;

  private final Path supervisorBinary;

  public PortForwarder(Path supervisorBinary) {
    this.supervisorBinary = supervisorBinary;
  }

  ByteChannel connect(SandboxRecord sandbox, int port, SessionListener sessions)
      throws IOException {
    if (sandbox.podPid() <= 0 || sandbox.phase() != SandboxRecord.Phase.READY) {
      throw new IOException("sandbox " + sandbox.id() + " is not ready");
    }
    List<String> argv = List.of("nsenter", "--target=" + sandbox.podPid(), "--net", "--",
        supervisorBinary.toString(), "connect", "127.0.0.1", Integer.toString(port));
    Process process = new ProcessBuilder(argv).start();
    try {
      if (process.waitFor(CONNECT_GRACE_MILLIS, TimeUnit.MILLISECONDS)
          && process.exitValue() != 0) {
        String error = new String(process.getErrorStream().readAllBytes(),
            StandardCharsets.UTF_8).strip();
        throw new IOException(error.isEmpty() ? "cannot connect to port " + port
            + " in sandbox " + sandbox.id() : error);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while connecting to port " + port, e);
    }
    sessions.opened();
    return new ProcessChannel(process, sessions);
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
