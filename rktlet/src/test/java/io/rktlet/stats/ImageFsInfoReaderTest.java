package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ImageFsInfoResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFsInfoReaderTest {
  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong(1_000L);
  private Path data;
  private FilesystemUsageReader usage;

  @BeforeEach
  void setUp() throws IOException {
    data = Files.createDirectories(dir.resolve("data"));
    Path mountinfo = Files.writeString(dir.resolve("mountinfo"),
        "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
    usage = new FilesystemUsageReader(mountinfo, now::get);
  }

  @Test
  void reportsCasAsImagesAndPodsAsContainers() throws IOException {
    Files.createDirectories(data.resolve("cas/blob"));
    Files.write(data.resolve("cas/blob/sha512-1"), new byte[5000]);
    Files.createDirectories(data.resolve("pods/run"));
    ImageFsInfoReader reader = new ImageFsInfoReader(data, usage, now::get, Duration.ZERO);

    ImageFsInfoResponse info = reader.read();

    assertThat(info.getImageFilesystemsCount()).isEqualTo(1);
    assertThat(info.getContainerFilesystemsCount()).isEqualTo(1);
    assertThat(info.getImageFilesystems(0).getUsedBytes().getValue()).isGreaterThan(5000);
    assertThat(info.getImageFilesystems(0).getInodesUsed().getValue()).isEqualTo(3);
    assertThat(info.getImageFilesystems(0).getFsId().getMountpoint()).isEqualTo("/");
    assertThat(info.getContainerFilesystems(0).getInodesUsed().getValue()).isEqualTo(2);
    assertThat(info.getImageFilesystems(0).getTimestamp()).isEqualTo(1_000L);
  }

  @Test
  void missingDirectoriesAreEmpty() throws IOException {
    ImageFsInfoResponse info =
        new ImageFsInfoReader(data, usage, now::get, Duration.ZERO).read();

    assertThat(info.getImageFilesystems(0).getUsedBytes().getValue()).isZero();
    assertThat(info.getContainerFilesystems(0).getInodesUsed().getValue()).isZero();
  }

  @Test
  void reusesResultUntilMaxAge() throws IOException {
    ImageFsInfoReader reader =
        new ImageFsInfoReader(data, usage, now::get, Duration.ofSeconds(10));
    ImageFsInfoResponse first = reader.read();
    Files.createDirectories(data.resolve("cas"));

    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(reader.read()).isSameAs(first);

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(reader.read().getImageFilesystems(0).getInodesUsed().getValue()).isEqualTo(1);
  }
}
