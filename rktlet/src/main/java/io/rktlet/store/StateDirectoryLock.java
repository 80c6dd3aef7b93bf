package io.rktlet.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on rktlet's state directory, held for the process's lifetime, so that two
 * rktlets never manage the same pods. The kernel drops it when the process ends, even by
 * SIGKILL.
 */
public final class StateDirectoryLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock on {@code <stateDir>/rktlet.lock}, or fails when another process has it. */
  public static StateDirectoryLock acquire(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve("rktlet.lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IOException("another rktlet uses the state directory " + stateDir
          + " (" + file + " is locked); stop it or choose another --state-dir");
    }
    return new StateDirectoryLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
