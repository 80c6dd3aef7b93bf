package io.rktlet.streaming;

/** What the streaming server needs from the runtime. Blocking calls, one thread per session. */
public interface StreamingRuntime {
  /**
   * Runs the command in the container and returns its exit code. stdin is null when not
   * requested; stderr is null with a TTY. Returns when the command exits; an IOException means
   * it could not be run.
   */
  int exec(String containerId, java.util.List<String> command, boolean tty,
      java.io.InputStream stdin, java.io.OutputStream stdout, java.io.OutputStream stderr,
      TerminalSizeQueue resizes) throws java.io.IOException, InterruptedException;

  /** Attaches to the running container's stdio until the client or the container goes away. */
  void attach(String containerId, boolean tty, java.io.InputStream stdin,
      java.io.OutputStream stdout, java.io.OutputStream stderr, TerminalSizeQueue resizes)
      throws java.io.IOException, InterruptedException;

  /**
   * Connects to the port inside the sandbox's network namespace; the returned channel is closed
   * by the caller. A client's end of data reaches the target only through a
   * {@link java.nio.channels.SocketChannel} or a {@link HalfCloseableChannel}.
   */
  java.nio.channels.ByteChannel portForward(String podSandboxId, int port)
      throws java.io.IOException;
}
