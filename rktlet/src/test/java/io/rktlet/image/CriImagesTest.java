package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.cri.v1.Image;
import io.rktlet.state.ImageRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriImagesTest {
  private static final String ID = RecordedImages.BUSYBOX_DIGEST;

  private static ImageRecord record(String user) {
    return new ImageRecord(ID,
        List.of("127.0.0.1:5066/busybox:latest", "127.0.0.1:5066/busybox:v2"),
        List.of("127.0.0.1:5066/busybox@" + ID),
        List.of("sha512-ed1b95e1dabe", "sha512-9750894b7190"), 4138838, user);
  }

  @Test
  void copiesIdReferencesAndSize() {
    Image image = CriImages.toImage(record("0"));

    assertThat(image.getId()).isEqualTo(ID);
    assertThat(image.getRepoTagsList())
        .containsExactly("127.0.0.1:5066/busybox:latest", "127.0.0.1:5066/busybox:v2");
    assertThat(image.getRepoDigestsList()).containsExactly("127.0.0.1:5066/busybox@" + ID);
    assertThat(image.getSize()).isEqualTo(4138838);
    assertThat(image.getSpec().getImage()).isEqualTo(ID);
    assertThat(image.getPinned()).isFalse();
  }

  @Test
  void numericUserBecomesUid() {
    Image image = CriImages.toImage(record("1000"));

    assertThat(image.hasUid()).isTrue();
    assertThat(image.getUid().getValue()).isEqualTo(1000);
    assertThat(image.getUsername()).isEmpty();
  }

  @Test
  void rootUserBecomesUidZero() {
    Image image = CriImages.toImage(record("0"));

    assertThat(image.hasUid()).isTrue();
    assertThat(image.getUid().getValue()).isZero();
  }

  @Test
  void namedUserBecomesUsername() {
    Image image = CriImages.toImage(record("nobody"));

    assertThat(image.hasUid()).isFalse();
    assertThat(image.getUsername()).isEqualTo("nobody");
  }

  @Test
  void groupAfterColonIsIgnored() {
    Image image = CriImages.toImage(record("1000:1000"));

    assertThat(image.getUid().getValue()).isEqualTo(1000);
  }

  @Test
  void emptyUserSetsNeitherField() {
    Image image = CriImages.toImage(record(""));

    assertThat(image.hasUid()).isFalse();
    assertThat(image.getUsername()).isEmpty();
  }

  @Test
  void verboseInfoListsRktImages() throws Exception {
    Map<String, String> info = CriImages.verboseInfo(record("1000"));

    assertThat(info).containsOnlyKeys("info");
    JsonNode json = new ObjectMapper().readTree(info.get("info"));
    assertThat(json.get("rktImageIds")).hasSize(2);
    assertThat(json.get("rktImageIds").get(0).asText()).isEqualTo("sha512-ed1b95e1dabe");
    assertThat(json.get("sizeBytes").asLong()).isEqualTo(4138838);
    assertThat(json.get("user").asText()).isEqualTo("1000");
  }
}
