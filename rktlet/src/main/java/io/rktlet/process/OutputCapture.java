package io.rktlet.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bytes read so far from one output stream of a process, up to a limit. */
public final class OutputCapture {
  private final int limitBytes;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private CompletableFuture<Void> done;

  private OutputCapture(int limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** Starts reading {@code stream} on {@code executor}; bytes past the limit are dropped. */
  public static OutputCapture start(InputStream stream, int limitBytes, Executor executor) {
    OutputCapture capture = new OutputCapture(limitBytes);
    capture.done = CompletableFuture.runAsync(() -> capture.readFrom(stream), executor);
    return capture;
  }

  private void readFrom(InputStream stream) {
    byte[] buffer = new byte[8192];
    try (stream) {
      int read;
      while ((read = stream.read(buffer)) != -1) {
        append(buffer, read);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void append(byte[] buffer, int length) {
    int room = limitBytes - bytes.size();
    if (room > 0) {
      bytes.write(buffer, 0, Math.min(room, length));
    }
  }

  /**
   * Waits for end of stream, but at most {@code grace}: a descendant that outlives the process
   * may hold the pipe open, and then the bytes read so far are returned.
   */
  public byte[] await(Duration grace) {
    try {
      done.get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Partial output is still the answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      return bytes.toByteArray();
    }
  }
}
