package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageManagerRemoveTest extends ImageManagerFixture {
  private static final String DIGEST = RecordedImages.BUSYBOX_DIGEST;
  private static final String LATEST_ID = RecordedImages.busyboxLatest().id();
  private static final String V2_ID = RecordedImages.busyboxV2().id();

  @Test
  void removeByOneTagRemovesWholeImage() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");
    pull("127.0.0.1:5066/busybox:v2");

    remove("127.0.0.1:5066/busybox:v2");

    assertThat(status("127.0.0.1:5066/busybox:latest").hasImage()).isFalse();
    assertThat(status(DIGEST).hasImage()).isFalse();
    assertThat(index.images()).isEmpty();
    assertThat(store.images()).isEmpty();
  }

  @Test
  void removeDeletesEveryRktImage() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox:latest");
    pull("127.0.0.1:5066/busybox:v2");

    remove(DIGEST);

    assertThat(rkt.calls("image", "rm")).containsExactly(
        List.of("/usr/bin/rkt", "--dir=/srv/rkt-lab/data", "image", "rm", LATEST_ID, V2_ID));
    assertThat(rkt.inStore(LATEST_ID)).isFalse();
    assertThat(rkt.inStore(V2_ID)).isFalse();
  }

  @Test
  void removeByIdPrefix() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox");

    remove("sha256:2b0594d8c3ed");

    assertThat(index.images()).isEmpty();
  }

  @Test
  void removeOfUnknownImageSucceeds() {
    remove("127.0.0.1:5066/busybox:latest");
    remove("sha256:" + "0".repeat(64));

    assertThat(rkt.calls()).isEmpty();
  }

  @Test
  void removeTwiceSucceeds() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox");

    remove("127.0.0.1:5066/busybox");
    remove("127.0.0.1:5066/busybox");

    assertThat(rkt.calls("image", "rm")).hasSize(1);
  }

  @Test
  void rktImageLeftBehindStillRemovesRecord() {
    serveRecordedBusybox();
    pull("127.0.0.1:5066/busybox");
    rkt.keepOnRemove(LATEST_ID);

    remove("127.0.0.1:5066/busybox");

    assertThat(index.images()).isEmpty();
    assertThat(store.images()).isEmpty();
    assertThat(rkt.calls("image", "list")).hasSize(2);
  }

  @Test
  void removeKeepsOtherImages() {
    serveRecordedBusybox();
    rkt.serve("docker://127.0.0.1:5066/busybox-user:latest", RecordedImages.busyboxUser());
    pull("127.0.0.1:5066/busybox");
    pull("127.0.0.1:5066/busybox-user");

    remove("127.0.0.1:5066/busybox");

    assertThat(status("127.0.0.1:5066/busybox-user").hasImage()).isTrue();
    assertThat(rkt.inStore(RecordedImages.busyboxUser().id())).isTrue();
  }

  @Test
  void invalidReferenceIsRejected() {
    assertThatThrownBy(() -> remove("Busybox"))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
