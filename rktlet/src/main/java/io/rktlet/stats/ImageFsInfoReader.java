package io.rktlet.stats;

import io.rktlet.cri.v1.FilesystemUsage;
import io.rktlet.cri.v1.ImageFsInfoResponse;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Measures the file systems ImageFsInfo reports, in rkt's data directory: the image store is
 * {@code <data dir>/cas} (content-addressed blobs and rendered trees), and the containers' file
 * systems are under {@code <data dir>/pods}. Walking a large store takes time, so a result is
 * reused until it is {@code maxAge} old.
 */
public final class ImageFsInfoReader {
  private final Path casDir;
  private final Path podsDir;
  private final FilesystemUsageReader reader;
  private final NanoClock clock;
  private final long maxAgeNanos;

  private ImageFsInfoResponse cached;
  private long cachedAtNanos;

  /**
   * @param dataDir rkt's {@code --dir}
   * @param maxAge how long a result is reused; zero measures on every call
   */
  public ImageFsInfoReader(Path dataDir, FilesystemUsageReader reader, NanoClock clock,
      Duration maxAge) {
    this.casDir = dataDir.resolve("cas");
    this.podsDir = dataDir.resolve("pods");
    this.reader = reader;
    this.clock = clock;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /**
   * Returns the usage of the image store as the image file system and of the pods directory as
   * the container file system. A directory rkt has not created yet counts as empty.
   *
   * @throws IOException when a directory or the mount table cannot be read
   */
  public synchronized ImageFsInfoResponse read() throws IOException {
    long now = clock.nowNanos();
    if (cached != null && now - cachedAtNanos < maxAgeNanos) {
      return cached;
    }
    cached = ImageFsInfoResponse.newBuilder()
        .addImageFilesystems(usage(casDir, now))
        .addContainerFilesystems(usage(podsDir, now))
        .build();
    cachedAtNanos = now;
    return cached;
  }

  private FilesystemUsage usage(Path directory, long now) throws IOException {
    if (!Files.isDirectory(directory)) {
      return FilesystemUsage.newBuilder()
          .setTimestamp(now)
          .setFsId(io.rktlet.cri.v1.FilesystemIdentifier.newBuilder()
              .setMountpoint(reader.mountPointOf(directory.toAbsolutePath()).toString()))
          .setUsedBytes(MemoryStatsReader.value(0))
          .setInodesUsed(MemoryStatsReader.value(0))
          .build();
    }
    return reader.usage(directory);
  }
}
