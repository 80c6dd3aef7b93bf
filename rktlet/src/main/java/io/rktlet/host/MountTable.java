package io.rktlet.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the mount table of rktlet's mount namespace from a mountinfo file. */
final class MountTable {
  static final Path PROC_SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  private final Path mountInfoFile;

  MountTable(Path mountInfoFile) {
    this.mountInfoFile = mountInfoFile;
  }

  /** Returns every mount in the order the kernel lists them (parents before children). */
  List<MountInfo> read() throws IOException {
    // readAllBytes, not readString: the kernel may print bytes that are not valid UTF-8.
    byte[] bytes = Files.readAllBytes(mountInfoFile);
    return MountInfo.parseAll(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Returns the topmost mount whose mount point is exactly {@code path}, or empty when
   * {@code path} is not a mount point. {@code path} must be canonical, like the kernel's paths.
   */
  Optional<MountInfo> mountAt(Path path) throws IOException {
    MountInfo found = null;
    for (MountInfo mount : read()) {
      if (mount.mountPoint().equals(path)) {
        found = mount; // a later line is mounted on top of an earlier one
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Returns the mount that contains {@code path}: the topmost mount whose mount point is the
   * longest prefix of {@code path}. {@code path} must be canonical.
   */
  MountInfo mountContaining(Path path) throws IOException {
    MountInfo found = null;
    for (MountInfo mount : read()) {
      if (path.startsWith(mount.mountPoint())
          && (found == null
              || mount.mountPoint().getNameCount() >= found.mountPoint().getNameCount())) {
        found = mount;
      }
    }
    if (found == null) {
      throw new IOException("no mount in " + mountInfoFile + " contains " + path);
    }
    return found;
  }

  /**
   * Returns the mounts at or below {@code directory}, deepest first, so that unmounting in this
   * order removes children before their parents. Of two mounts stacked on the same point, the
   * one mounted later comes first. {@code directory} must be canonical.
   */
  List<MountInfo> mountsUnder(Path directory) throws IOException {
    List<MountInfo> all = read();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).mountPoint().startsWith(directory)) {
        positions.add(i);
      }
    }
    positions.sort(
        Comparator.<Integer>comparingInt(i -> all.get(i).mountPoint().getNameCount())
            .thenComparingInt(i -> i)
            .reversed());
    List<MountInfo> under = new ArrayList<>(positions.size());
    for (int position : positions) {
      under.add(all.get(position));
    }
    return under;
  }

  /** Returns {@code path} with symbolic links resolved when it exists, else normalized. */
  static Path canonical(Path path) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    return Files.exists(absolute) ? absolute.toRealPath() : absolute;
  }
}
