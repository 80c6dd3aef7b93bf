package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.StateIndex;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageIndexTest {
  private static final String BUSYBOX_ID = RecordedImages.BUSYBOX_DIGEST;
  private static final String USER_ID = RecordedImages.BUSYBOX_USER_DIGEST;
  /** An ID that shares its first hex digit "2" with BUSYBOX_ID. */
  private static final String OTHER_ID = "sha256:2" + "f".repeat(63);

  private final StateIndex state = new StateIndex();
  private final ImageIndex index = new ImageIndex(state);

  @BeforeEach
  void addImages() {
    state.putImage(new ImageRecord(BUSYBOX_ID, List.of("docker.io/library/busybox:latest",
        "docker.io/library/busybox:1.36"), List.of("docker.io/library/busybox@" + BUSYBOX_ID),
        List.of("sha512-ed1b95e1dabe"), 2128896, "0"));
    state.putImage(new ImageRecord(USER_ID, List.of("127.0.0.1:5066/busybox-user:latest"),
        List.of("127.0.0.1:5066/busybox-user@" + USER_ID), List.of("sha512-02a46dff394a"),
        4138901, "1000"));
    state.putImage(new ImageRecord(OTHER_ID, List.of(), List.of("quay.io/x/other@" + OTHER_ID),
        List.of("sha512-0000"), 1, ""));
  }

  private Optional<String> findId(String spec) {
    return index.find(spec, "image.image").map(ImageRecord::id);
  }

  @Test
  void findsByFullId() {
    assertThat(findId(BUSYBOX_ID)).contains(BUSYBOX_ID);
  }

  @Test
  void findsByFullHexWithoutAlgorithm() {
    assertThat(findId(USER_ID.substring("sha256:".length()))).contains(USER_ID);
  }

  @Test
  void findsByUniqueIdPrefix() {
    assertThat(findId("sha256:2b0594d8")).contains(BUSYBOX_ID);
    assertThat(findId("90afdf69bd54")).contains(USER_ID);
  }

  @Test
  void ambiguousPrefixFindsNothing() {
    assertThat(findId("sha256:2")).isEmpty();
  }

  @Test
  void unknownIdFindsNothing() {
    assertThat(findId("sha256:" + "0".repeat(64))).isEmpty();
    assertThat(findId("sha256:")).isEmpty();
    assertThat(findId("sha256:XYZ")).isEmpty();
  }

  @Test
  void findsByShortTagReference() {
    assertThat(findId("busybox")).contains(BUSYBOX_ID);
    assertThat(findId("busybox:1.36")).contains(BUSYBOX_ID);
    assertThat(findId("docker.io/library/busybox:latest")).contains(BUSYBOX_ID);
  }

  @Test
  void findsByTagReferenceWithPort() {
    assertThat(findId("127.0.0.1:5066/busybox-user")).contains(USER_ID);
  }

  @Test
  void unknownTagFindsNothing() {
    assertThat(findId("busybox:1.35")).isEmpty();
    assertThat(findId("127.0.0.1:5067/busybox-user")).isEmpty();
  }

  @Test
  void findsByDigestReference() {
    assertThat(findId("busybox@" + BUSYBOX_ID)).contains(BUSYBOX_ID);
    assertThat(findId("quay.io/x/other@" + OTHER_ID)).contains(OTHER_ID);
  }

  @Test
  void digestOfAnotherRepositoryFindsNothing() {
    assertThat(findId("quay.io/x/busybox@" + BUSYBOX_ID)).isEmpty();
  }

  @Test
  void repositoryNameBeatsIdPrefix() {
    state.putImage(new ImageRecord("sha256:" + "9".repeat(64), List.of(
        "docker.io/library/90afdf69:latest"), List.of(), List.of("sha512-9999"), 1, ""));

    assertThat(findId("90afdf69")).contains("sha256:" + "9".repeat(64));
  }

  @Test
  void invalidReferenceIsRejected() {
    assertThatThrownBy(() -> index.find("Busybox", "image.image"))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("image.image");
  }

  @Test
  void emptySpecIsRejected() {
    assertThatThrownBy(() -> index.find("", "image.image"))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("image.image is empty");
  }

  @Test
  void othersWithTagSkipsGivenImage() {
    List<ImageRecord> others =
        index.othersWithTag("docker.io/library/busybox:latest", USER_ID);

    assertThat(others).extracting(ImageRecord::id).containsExactly(BUSYBOX_ID);
    assertThat(index.othersWithTag("docker.io/library/busybox:latest", BUSYBOX_ID)).isEmpty();
  }

  @Test
  void allIsOrderedById() {
    assertThat(index.all()).extracting(ImageRecord::id)
        .containsExactly(BUSYBOX_ID, OTHER_ID, USER_ID);
  }
}
