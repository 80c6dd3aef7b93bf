package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.FilesystemUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemUsageReaderTest {
  @TempDir Path dir;

  private Path tree;
  private FilesystemUsageReader reader;

  @BeforeEach
  void setUp() throws IOException {
    tree = Files.createDirectories(dir.resolve("upper"));
    Path mountinfo = dir.resolve("mountinfo");
    Files.writeString(mountinfo,
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            + "90 22 0:50 / " + dir.toRealPath() + " rw shared:40 - tmpfs tmpfs rw\n"
            + "91 22 0:51 / /srv rw shared:41 - ext4 /dev/sdb1 rw\n");
    reader = new FilesystemUsageReader(mountinfo, () -> 99L);
  }

  @Test
  void reportsMountPointAndTimestamp() throws IOException {
    FilesystemUsage usage = reader.usage(tree);

    assertThat(usage.getFsId().getMountpoint()).isEqualTo(dir.toRealPath().toString());
    assertThat(usage.getTimestamp()).isEqualTo(99L);
  }

  @Test
  void fileAddsItsSizeAndOneInode() throws IOException {
    FilesystemUsage before = reader.usage(tree);
    Files.write(tree.resolve("data"), new byte[1000]);

    FilesystemUsage after = reader.usage(tree);

    assertThat(after.getUsedBytes().getValue() - before.getUsedBytes().getValue())
        .isEqualTo(1000);
    assertThat(after.getInodesUsed().getValue() - before.getInodesUsed().getValue())
        .isEqualTo(1);
  }

  @Test
  void hardLinkCountsOnce() throws IOException {
    Files.write(tree.resolve("data"), new byte[1000]);
    FilesystemUsage before = reader.usage(tree);
    Files.createLink(tree.resolve("link"), tree.resolve("data"));

    FilesystemUsage after = reader.usage(tree);

    assertThat(after.getUsedBytes()).isEqualTo(before.getUsedBytes());
    assertThat(after.getInodesUsed()).isEqualTo(before.getInodesUsed());
  }

  @Test
  void symlinkIsNotFollowed() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.write(outside.resolve("big"), new byte[100_000]);
    FilesystemUsage before = reader.usage(tree);
    String target = outside.toString();
    Files.createSymbolicLink(tree.resolve("escape"), Path.of(target));

    FilesystemUsage after = reader.usage(tree);

    assertThat(after.getUsedBytes().getValue() - before.getUsedBytes().getValue())
        .isEqualTo(target.length());
    assertThat(after.getInodesUsed().getValue() - before.getInodesUsed().getValue())
        .isEqualTo(1);
  }

  @Test
  void nestedDirectoriesCount() throws IOException {
    FilesystemUsage before = reader.usage(tree);
    Path nested = Files.createDirectories(tree.resolve("a/b"));
    Files.write(nested.resolve("f"), new byte[10]);

    FilesystemUsage after = reader.usage(tree);

    assertThat(after.getInodesUsed().getValue() - before.getInodesUsed().getValue())
        .isEqualTo(3);
  }

  @Test
  void missingDirectoryIsNoSuchFile() {
    assertThatThrownBy(() -> reader.usage(dir.resolve("gone")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void deepestMountPointWins() throws IOException {
    assertThat(reader.mountPointOf(Path.of("/srv/rkt/cas"))).isEqualTo(Path.of("/srv"));
    assertThat(reader.mountPointOf(Path.of("/srvx/cas"))).isEqualTo(Path.of("/"));
  }
}
