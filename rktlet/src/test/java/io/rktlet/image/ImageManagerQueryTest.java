package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.cri.v1.Image;
import io.rktlet.cri.v1.ImageFilter;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ImageStatusResponse;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.errors.CriException;
import io.rktlet.state.ImageRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ImageStatus, ListImages and resolve after busybox and busybox-user were pulled. */
class ImageManagerQueryTest extends ImageManagerFixture {
  private static final String BUSYBOX = RecordedImages.BUSYBOX_DIGEST;
  private static final String USER = RecordedImages.BUSYBOX_USER_DIGEST;

  @BeforeEach
  void pullTwoImages() {
    serveRecordedBusybox();
    rkt.serve("docker://127.0.0.1:5066/busybox-user:latest", RecordedImages.busyboxUser());
    pull("127.0.0.1:5066/busybox");
    pull("127.0.0.1:5066/busybox-user");
  }

  private static ImageFilter filter(String image) {
    return ImageFilter.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build();
  }

  @Test
  void statusAndListRunNoRkt() {
    int callsBefore = rkt.calls().size();

    status("127.0.0.1:5066/busybox");
    manager.listImages(ListImagesRequest.getDefaultInstance());

    assertThat(rkt.calls()).hasSize(callsBefore);
  }

  @Test
  void statusOfAbsentImageIsEmpty() {
    ImageStatusResponse response = status("127.0.0.1:5066/busybox:nope");

    assertThat(response.hasImage()).isFalse();
    assertThat(response.getInfoMap()).isEmpty();
  }

  @Test
  void statusMatchesPullResponse() {
    assertThat(status("127.0.0.1:5066/busybox").getImage().getId()).isEqualTo(BUSYBOX);
    assertThat(status(BUSYBOX).getImage().getId()).isEqualTo(BUSYBOX);
    assertThat(status("127.0.0.1:5066/busybox@" + BUSYBOX).getImage().getId())
        .isEqualTo(BUSYBOX);
  }

  @Test
  void verboseStatusAddsInfo() {
    ImageStatusResponse response = manager.imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(USER)).setVerbose(true).build());

    assertThat(response.getInfoMap()).containsOnlyKeys("info");
    assertThat(response.getInfoMap().get("info"))
        .contains("\"rktImageIds\":[\"" + RecordedImages.busyboxUser().id() + "\"]");
  }

  @Test
  void plainStatusHasNoInfo() {
    assertThat(status(USER).getInfoMap()).isEmpty();
  }

  @Test
  void listWithoutFilterReturnsAll() {
    assertThat(manager.listImages(ListImagesRequest.getDefaultInstance()).getImagesList())
        .extracting(Image::getId)
        .containsExactly(BUSYBOX, USER);
  }

  @Test
  void listWithEmptyFilterReturnsAll() {
    ListImagesRequest request =
        ListImagesRequest.newBuilder().setFilter(ImageFilter.getDefaultInstance()).build();

    assertThat(manager.listImages(request).getImagesList()).hasSize(2);
  }

  @Test
  void listFilterMatchesLikeStatus() {
    assertThat(manager.listImages(filter("127.0.0.1:5066/busybox-user")))
        .extracting(Image::getId).containsExactly(USER);
    assertThat(manager.listImages(filter("sha256:2b05")))
        .extracting(Image::getId).containsExactly(BUSYBOX);
    assertThat(manager.listImages(filter("127.0.0.1:5066/absent"))).isEmpty();
  }

  @Test
  void listFilterRejectsInvalidReference() {
    assertThatThrownBy(() -> manager.listImages(filter("No Such")))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("filter.image.image");
  }

  @Test
  void resolveFindsRecordForContainer() {
    assertThat(manager.resolve("127.0.0.1:5066/busybox-user:latest"))
        .map(ImageRecord::rktImageIds)
        .contains(java.util.List.of(RecordedImages.busyboxUser().id()));
    assertThat(manager.resolve("127.0.0.1:5066/absent")).isEmpty();
  }

  @Test
  void resolveNamesContainerField() {
    assertThatThrownBy(() -> manager.resolve("-bad"))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("config.image.image");
  }

  @Test
  void imageFsInfoReportsOneFilesystem() {
    var usage = manager.imageFsInfo(null);

    // The fake's data directory does not exist, so the store counts as empty on "/".
    assertThat(usage.getImageFilesystemsList()).singleElement().satisfies(fs -> {
      assertThat(fs.getFsId().getMountpoint()).isEqualTo("/");
      assertThat(fs.getUsedBytes().getValue()).isZero();
      assertThat(fs.getTimestamp()).isPositive();
    });
    assertThat(usage.getContainerFilesystemsList()).singleElement().satisfies(fs ->
        assertThat(fs.getFsId().getMountpoint()).isEqualTo("/"));
  }
}
