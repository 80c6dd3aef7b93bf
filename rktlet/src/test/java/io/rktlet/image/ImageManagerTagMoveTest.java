package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.image.FakeRkt.FakeImage;
import io.rktlet.state.ImageRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A later pull finds that busybox:latest now names the busybox-user content. */
class ImageManagerTagMoveTest extends ImageManagerFixture {
  private static final String OLD = RecordedImages.BUSYBOX_DIGEST;
  private static final String NEW = RecordedImages.BUSYBOX_USER_DIGEST;
  private static final FakeImage NEW_CONTENT = RecordedImages.busyboxUser();
  private static final String LATEST_ID = RecordedImages.busyboxLatest().id();

  private String moveLatest() {
    rkt.serve(LATEST_URL, NEW_CONTENT);
    return pull("127.0.0.1:5066/busybox:latest");
  }

  @Test
  void tagFollowsNewDigest() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");

    String id = moveLatest();

    assertThat(id).isEqualTo(NEW);
    assertThat(status("127.0.0.1:5066/busybox:latest").getImage().getId()).isEqualTo(NEW);
  }

  @Test
  void oldImageWithOnlyThatTagGoes() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");

    moveLatest();

    assertThat(status(OLD).hasImage()).isFalse();
    assertThat(store.images()).extracting(ImageRecord::id).containsExactly(NEW);
    assertThat(rkt.calls("image", "rm")).containsExactly(
        List.of("/usr/bin/rkt", "--dir=/srv/rkt-lab/data", "image", "rm", LATEST_ID));
    assertThat(rkt.inStore(LATEST_ID)).isFalse();
    assertThat(rkt.inStore(NEW_CONTENT.id())).isTrue();
  }

  @Test
  void oldImageKeepsOtherTags() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");
    pull("127.0.0.1:5066/busybox:v2");

    moveLatest();

    ImageRecord old = index.image(OLD).orElseThrow();
    assertThat(old.repoTags()).containsExactly("127.0.0.1:5066/busybox:v2");
    assertThat(old.rktImageIds()).containsExactly(RecordedImages.busyboxV2().id());
    assertThat(rkt.inStore(LATEST_ID)).isFalse();
    assertThat(store.images()).hasSize(2);
  }

  @Test
  void oldImageKeepsDigestPull() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");
    pull("127.0.0.1:5066/busybox@" + OLD);

    moveLatest();

    ImageRecord old = index.image(OLD).orElseThrow();
    assertThat(old.repoTags()).isEmpty();
    assertThat(old.repoDigests()).containsExactly("127.0.0.1:5066/busybox@" + OLD);
    assertThat(old.rktImageIds()).containsExactly(RecordedImages.busyboxByDigest().id());
    assertThat(status("127.0.0.1:5066/busybox@" + OLD).getImage().getId()).isEqualTo(OLD);
  }

  @Test
  void newImageCarriesTheTag() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");

    moveLatest();

    ImageRecord moved = index.image(NEW).orElseThrow();
    assertThat(moved.repoTags()).containsExactly("127.0.0.1:5066/busybox:latest");
    assertThat(moved.repoDigests()).containsExactly("127.0.0.1:5066/busybox@" + NEW);
    assertThat(moved.rktImageIds()).containsExactly(NEW_CONTENT.id());
  }

  @Test
  void failedOldRemovalStillMovesTag() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");
    rkt.keepOnRemove(LATEST_ID);

    moveLatest();

    assertThat(status(OLD).hasImage()).isFalse();
    assertThat(status("127.0.0.1:5066/busybox:latest").getImage().getId()).isEqualTo(NEW);
  }
}
