package io.rktlet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Reads the UUID that {@code rkt app sandbox --uuid-file-save} writes about 60 ms after launch. */
public final class UuidFile {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final long WATCH_SLICE_MILLIS = 50;

  private UuidFile() {}

  /** Returns the UUID in the file, or empty when the file is missing or not yet complete. */
  public static Optional<String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return UUID.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits for the file's UUID until {@code deadlineNanos} (a {@link System#nanoTime} value), or
   * until {@code processExit} completes, whichever comes first. Uses inotify through the
   * {@link WatchService}, checking the process every 50 ms at most.
   */
  static Optional<String> await(Path file, long deadlineNanos, Future<Integer> processExit)
      throws IOException, InterruptedException {
    try (WatchService watcher = file.getFileSystem().newWatchService()) {
      file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY);
      while (true) {
        Optional<String> uuid = read(file);
        if (uuid.isPresent()) {
          return uuid;
        }
        if (processExit.isDone() || System.nanoTime() >= deadlineNanos) {
          return read(file);
        }
        try {
          var key = watcher.poll(WATCH_SLICE_MILLIS, TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        } catch (ClosedWatchServiceException e) {
          return read(file);
        }
      }
    }
  }
}
