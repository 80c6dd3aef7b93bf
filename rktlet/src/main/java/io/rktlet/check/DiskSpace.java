package io.rktlet.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free space of the filesystem that contains a path, replaceable in tests. */
@FunctionalInterface
public interface DiskSpace {
  /** Reads the space available to rktlet from the filesystem's statistics. */
  DiskSpace SYSTEM = path -> Files.getFileStore(path).getUsableSpace();

  /** Returns the bytes free for unprivileged users (statvfs f_bavail) where {@code existing} is. */
  long usableBytes(Path existing) throws IOException;
}
