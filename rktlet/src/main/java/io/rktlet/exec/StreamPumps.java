package io.rktlet.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Copies streams on pooled threads for exec and attach sessions. */
final class StreamPumps {
  private static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "stream-pump");
    thread.setDaemon(true);
    return thread;
  });

  private StreamPumps() {}

  /** Copies {@code from} to {@code to} until end of stream, then closes {@code to}. */
  static CompletableFuture<Void> copy(InputStream from, OutputStream to) {
    return CompletableFuture.runAsync(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (from; to) {
        int read;
        while ((read = from.read(buffer)) != -1) {
          to.write(buffer, 0, read);
          to.flush();
        }
      } catch (IOException e) {
        // One side went away; the session ends through the other side.
      }
    }, THREADS);
  }

  /** Runs a task that may block and fail, such as copying attach output. */
  static <T> CompletableFuture<T> call(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    THREADS.execute(() -> {
      try {
        result.complete(task.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Runs a task that may block, such as forwarding terminal sizes. */
  static CompletableFuture<Void> run(Runnable task) {
    return CompletableFuture.runAsync(task, THREADS);
  }
}
