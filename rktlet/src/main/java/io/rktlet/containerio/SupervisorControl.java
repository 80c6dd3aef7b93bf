package io.rktlet.containerio;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Sends commands to a running supervisor through its control FIFO and waits for their effect
 * in its status file.
 */
public final class SupervisorControl {
  private static final long POLL_MILLIS = 20;

  private SupervisorControl() {}

  /**
   * Writes one command line. The FIFO is opened for reading and writing, which on Linux never
   * blocks, so a supervisor that has already ended cannot hang the caller; the command is then
   * lost with the FIFO's buffer.
   */
  public static void send(ContainerDirectory dir, String command) throws IOException {
    if (!Files.exists(dir.controlFifo())) {
      throw new IOException("no control FIFO at " + dir.controlFifo()
          + "; the container's supervisor has not started");
    }
    try (RandomAccessFile fifo = new RandomAccessFile(dir.controlFifo().toFile(), "rw")) {
      fifo.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * Waits until the status file satisfies {@code condition}, at most {@code timeout}, and
   * returns the last status read (empty when there was none).
   */
  public static Optional<SupervisorStatus> await(ContainerDirectory dir,
      Predicate<SupervisorStatus> condition, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Path file = dir.statusFile();
    while (true) {
      Optional<SupervisorStatus> status = SupervisorStatus.read(file);
      if (status.isPresent() && condition.test(status.get())) {
        return status;
      }
      if (System.nanoTime() >= deadline) {
        return status;
      }
      // The status file is replaced by rename, which inotify reports as a move into the
      // directory; a short poll is simpler and costs nothing measurable at these intervals.
      Thread.sleep(POLL_MILLIS);
    }
  }
}
