package io.rktlet.image;

import io.rktlet.cri.v1.FilesystemIdentifier;
import io.rktlet.cri.v1.FilesystemUsage;
import io.rktlet.cri.v1.UInt64Value;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes and inodes used by rkt's image store ({@code <data dir>/cas}), for ImageFsInfo. The
 * kubelet asks every few seconds for its image garbage collection, so one walk of the store is
 * reused for 10 s.
 */
final class ImageFsUsage {
  private static final Logger log = LoggerFactory.getLogger(ImageFsUsage.class);
  private static final Duration REUSE = Duration.ofSeconds(10);

  private final Path store;
  private final NanoClock clock;
  private FilesystemUsage cached;
  private long cachedAtNanos;

  ImageFsUsage(Path rktDataDir, NanoClock clock) {
    this.store = rktDataDir.resolve("cas");
    this.clock = clock;
  }

  synchronized FilesystemUsage current() {
    long now = clock.nowNanos();
    if (cached == null || now - cachedAtNanos > REUSE.toNanos()) {
      cached = measure(now);
      cachedAtNanos = now;
    }
    return cached;
  }

  private FilesystemUsage measure(long now) {
    long[] bytesAndInodes = {0, 0};
    Set<Object> seenInodes = new HashSet<>();
    if (Files.isDirectory(store)) {
      try {
        Files.walkFileTree(store, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            count(attributes);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            count(attributes);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }

          private void count(BasicFileAttributes attributes) {
            // Hard links share an inode; count each inode once, as du does.
            Object key = attributes.fileKey();
            if (key == null || seenInodes.add(key)) {
              bytesAndInodes[0] += attributes.size();
              bytesAndInodes[1]++;
            }
          }
        });
      } catch (IOException e) {
        log.warn("Cannot measure rkt's image store {}: {}", store, e.toString());
      }
    }
    return FilesystemUsage.newBuilder()
        .setTimestamp(now)
        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(store.toString()))
        .setUsedBytes(UInt64Value.newBuilder().setValue(bytesAndInodes[0]))
        .setInodesUsed(UInt64Value.newBuilder().setValue(bytesAndInodes[1]))
        .build();
  }
}
