package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.state.ImageRecord;
import io.rktlet.state.StateIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up: records in the store meet what rkt's store still has. */
class ImageManagerReconcileTest extends ImageManagerFixture {
  private static final String BUSYBOX = RecordedImages.BUSYBOX_DIGEST;
  private static final String USER = RecordedImages.BUSYBOX_USER_DIGEST;
  private static final String NOBODY = RecordedImages.BUSYBOX_NOBODY_DIGEST;
  private static final String LATEST_ID = RecordedImages.busyboxLatest().id();
  private static final String V2_ID = RecordedImages.busyboxV2().id();

  private static ImageRecord record(String id, String tag, List<String> rktImageIds) {
    return new ImageRecord(id, List.of(tag), List.of(), rktImageIds, 2128896, "0");
  }

  /** Restarts rktlet: a fresh index, the same store. */
  private void restart() {
    index = new StateIndex();
    manager = newManager(java.util.Map.of());
    manager.loadAndReconcile();
  }

  @Test
  void completeRecordIsLoaded() {
    rkt.addToStore("127.0.0.1_5066/busybox:latest", RecordedImages.busyboxLatest());
    ImageRecord busybox = record(BUSYBOX, "127.0.0.1:5066/busybox:latest", List.of(LATEST_ID));
    store.putImage(busybox);

    restart();

    assertThat(index.image(BUSYBOX)).contains(busybox);
    assertThat(status("127.0.0.1:5066/busybox").getImage().getId()).isEqualTo(BUSYBOX);
  }

  @Test
  void missingRktImageIsDropped() {
    rkt.addToStore("127.0.0.1_5066/busybox:v2", RecordedImages.busyboxV2());
    store.putImage(record(BUSYBOX, "127.0.0.1:5066/busybox:latest", List.of(LATEST_ID, V2_ID)));

    restart();

    ImageRecord reconciled = index.image(BUSYBOX).orElseThrow();
    assertThat(reconciled.rktImageIds()).containsExactly(V2_ID);
    assertThat(reconciled.sizeBytes()).isEqualTo(4138838);
    assertThat(store.images()).containsExactly(reconciled);
  }

  @Test
  void recordWithoutRktImagesIsDropped() {
    rkt.addToStore("127.0.0.1_5066/busybox:latest", RecordedImages.busyboxLatest());
    store.putImage(record(BUSYBOX, "127.0.0.1:5066/busybox:latest", List.of(LATEST_ID)));
    store.putImage(record(USER, "127.0.0.1:5066/busybox-user:latest", List.of("sha512-aa")));
    store.putImage(record(NOBODY, "127.0.0.1:5066/busybox-nobody:latest", List.of()));

    restart();

    assertThat(index.images()).extracting(ImageRecord::id).containsExactly(BUSYBOX);
    assertThat(store.images()).extracting(ImageRecord::id).containsExactly(BUSYBOX);
  }

  @Test
  void failedImageListKeepsRecords() {
    store.putImage(record(BUSYBOX, "127.0.0.1:5066/busybox:latest", List.of(LATEST_ID)));
    rkt.failImageList("image list: cannot open the store\n");

    restart();

    assertThat(index.image(BUSYBOX)).isPresent();
    assertThat(store.images()).hasSize(1);
  }

  @Test
  void leftoverCredentialsAreDeleted() throws Exception {
    PullCredentials.write(credentialsRoot(), LOCAL, new RegistryAuth("alice", "secret"));

    restart();

    try (var entries = Files.list(credentialsRoot())) {
      assertThat(entries.map(Path::getFileName)).isEmpty();
    }
  }
}
