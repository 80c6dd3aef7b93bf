package io.rktlet.stats;

import io.rktlet.cri.v1.FilesystemIdentifier;
import io.rktlet.cri.v1.FilesystemUsage;
import io.rktlet.host.MountInfo;
import io.rktlet.util.NanoClock;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures the bytes and inodes a directory tree uses, for a container's writable layer and for
 * rkt's image store. The walk does not follow symbolic links and counts a file with several
 * hard links once. Bytes are apparent sizes ({@code st_size}) of every file, directory and link,
 * like {@code du --apparent-size --bytes}, not allocated blocks, because the JDK does not expose
 * {@code st_blocks}: sparse files count in full and small files less than the blocks they take.
 */
public final class FilesystemUsageReader {
  /** The mount table read for {@code fs_id.mountpoint} when none is given. */
  public static final Path PROC_SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  private final Path mountinfo;
  private final NanoClock clock;

  public FilesystemUsageReader(Path mountinfo, NanoClock clock) {
    this.mountinfo = mountinfo;
    this.clock = clock;
  }

  /**
   * Returns the usage of the tree at {@code directory} with the mount point that contains it.
   * Files that disappear during the walk, and entries that cannot be read, are skipped.
   *
   * @throws NoSuchFileException when {@code directory} does not exist
   * @throws IOException when the mount table cannot be read
   */
  public FilesystemUsage usage(Path directory) throws IOException {
    long timestamp = clock.nowNanos();
    Path real = directory.toRealPath();
    Walk walk = new Walk();
    Files.walkFileTree(real, walk);
    return FilesystemUsage.newBuilder()
        .setTimestamp(timestamp)
        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(mountPointOf(real).toString()))
        .setUsedBytes(MemoryStatsReader.value(walk.bytes))
        .setInodesUsed(MemoryStatsReader.value(walk.inodes))
        .build();
  }

  /** Returns the deepest mount point at or above {@code path}. */
  Path mountPointOf(Path path) throws IOException {
    List<MountInfo> mounts = MountInfo.parseAll(Files.readString(mountinfo));
    Path best = Path.of("/");
    for (MountInfo mount : mounts) {
      Path point = mount.mountPoint();
      if (path.startsWith(point) && point.getNameCount() >= best.getNameCount()) {
        best = point;
      }
    }
    return best;
  }

  /** Sums sizes and counts inodes, each (device, inode) pair once. */
  private static final class Walk extends SimpleFileVisitor<Path> {
    private final Set<String> seen = new HashSet<>();
    long bytes;
    long inodes;

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
        throws IOException {
      count(dir);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      count(file);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      return FileVisitResult.CONTINUE;
    }

    private void count(Path path) throws IOException {
      Map<String, Object> attributes;
      try {
        attributes = Files.readAttributes(path, "unix:dev,ino,nlink,size",
            LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return;
      }
      if ((Integer) attributes.get("nlink") > 1
          && !seen.add(attributes.get("dev") + ":" + attributes.get("ino"))) {
        return;
      }
      inodes++;
      bytes += (Long) attributes.get("size");
    }
  }
}
