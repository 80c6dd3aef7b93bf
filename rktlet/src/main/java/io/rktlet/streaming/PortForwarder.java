package io.rktlet.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one client connection to a port in a pod sandbox: connects through the runtime, then
 * copies both ways on two session threads. Each side's end of data is passed on as a
 * half-close, so request-response protocols see the usual TCP behaviour.
 */
final class PortForwarder implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(PortForwarder.class);
  private static final int BUFFER_BYTES = FrameOutputStream.MAX_FRAME_PAYLOAD;

  /** The client's side of one forwarded connection, whatever the transport. */
  interface ClientSide {
    /** Data from the client; ends when the client half-closes. */
    InputStream input();

    /** Data to the client; closing it half-closes the connection towards the client. */
    OutputStream output();

    /** Tells the client why the connection could not be forwarded. */
    void reportError(String message);

    /** Ends the connection on the client's side; called once, last. */
    void finish();

    /**
     * Returns whether the client can end its data and still read. Without that, the connection
     * ends as soon as the target closes its side.
     */
    default boolean supportsHalfClose() {
      return true;
    }
  }

  private final StreamingContext context;
  private final String podSandboxId;
  private final int port;
  private final ClientSide client;
  private volatile ByteChannel target;
  private volatile boolean aborted;

  PortForwarder(StreamingContext context, String podSandboxId, int port, ClientSide client) {
    this.context = context;
    this.podSandboxId = podSandboxId;
    this.port = port;
    this.client = client;
  }

  @Override
  public void run() {
    try {
      target = context.runtime().portForward(podSandboxId, port);
    } catch (IOException | RuntimeException e) {
      log.warn("Failed to forward a connection to port {} in pod sandbox {}: {}", port,
          podSandboxId, e.toString());
      client.reportError("error forwarding port " + port + " to pod sandbox " + podSandboxId
          + ": " + e.getMessage());
      client.finish();
      return;
    }
    log.debug("Forwarding a connection to port {} in pod sandbox {}", port, podSandboxId);
    try {
      if (!aborted) {
        copyBothWays();
      }
    } finally {
      closeTarget();
      client.finish();
    }
  }

  /** Stops forwarding because the client's connection is gone. Any thread. */
  void abort() {
    aborted = true;
    closeTarget();
  }

  private void copyBothWays() {
    try {
      if (target instanceof SelectableChannel selectable) {
        selectable.configureBlocking(true);
      }
      Future<?> upstream = context.sessionExecutor().submit(this::copyToTarget);
      copyToClient();
      if (!client.supportsHalfClose()) {
        client.input().close();
      }
      upstream.get();
    } catch (IOException e) {
      log.debug("Forwarding to port {} in pod sandbox {} ended: {}", port, podSandboxId,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("Forwarding to port {} in pod sandbox {} failed", port, podSandboxId,
          e.getCause());
    }
  }

  /** Copies until the target closes its side, then half-closes towards the client. */
  private void copyToClient() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    OutputStream output = client.output();
    try {
      while (target.read(buffer) >= 0) {
        output.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      output.close();
    } catch (IOException e) {
      // A reset by either side ends both directions; the other copy fails on the closed target.
      closeTarget();
      throw e;
    }
  }

  /** Copies until the client half-closes, then half-closes towards the target. */
  private void copyToTarget() {
    byte[] bytes = new byte[BUFFER_BYTES];
    InputStream input = client.input();
    try {
      int count;
      while ((count = input.read(bytes)) >= 0) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, count);
        while (buffer.hasRemaining()) {
          target.write(buffer);
        }
      }
      if (target instanceof SocketChannel socket) {
        socket.shutdownOutput();
      } else if (target instanceof HalfCloseableChannel halfCloseable) {
        halfCloseable.shutdownOutput();
      }
    } catch (IOException e) {
      log.debug("Copying to port {} in pod sandbox {} ended: {}", port, podSandboxId,
          e.toString());
      closeTarget();
    }
  }

  private void closeTarget() {
    ByteChannel channel = target;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("Closing the connection to port {} in pod sandbox {} failed: {}", port,
            podSandboxId, e.toString());
      }
    }
  }
}
