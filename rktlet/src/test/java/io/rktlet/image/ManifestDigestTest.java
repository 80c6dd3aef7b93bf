package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.rkt.ImageManifest;
import io.rktlet.rkt.RktJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestDigestTest {
  private static final String RKT_ID =
      "sha512-ed1b95e1dabe3f0b7f5f2a2116681e3aafde15f8fc8f23428515df227b1e2fd4";

  private static ImageManifest recorded(String noteStart) {
    return RktJson.manifest(RecordedImages.manifest(noteStart));
  }

  @Test
  void tagFetchYieldsRegistryDigest() {
    ManifestDigest digest = ManifestDigest.of(
        recorded("cat-manifest of docker-converted busybox"), RKT_ID);

    assertThat(digest.imageId()).isEqualTo(RecordedImages.BUSYBOX_DIGEST);
    assertThat(digest.fromRegistry()).isTrue();
  }

  @Test
  void digestFetchYieldsSameDigest() {
    ManifestDigest digest = ManifestDigest.of(
        recorded("cat-manifest of the by-digest import"), "sha512-a6c0f353864b");

    assertThat(digest.imageId()).isEqualTo(RecordedImages.BUSYBOX_DIGEST);
  }

  @Test
  void recordedManifestCarriesImageUser() {
    assertThat(recorded("cat-manifest busybox-user by name").app().user()).isEqualTo("1000");
    assertThat(recorded("cat-manifest busybox-nobody by name").app().user())
        .isEqualTo("nobody");
  }

  @Test
  void missingAnnotationDerivesStableId() {
    ImageManifest manifest = new ImageManifest("127.0.0.1_5066/old", List.of(), null, List.of());

    ManifestDigest first = ManifestDigest.of(manifest, RKT_ID);
    ManifestDigest second = ManifestDigest.of(manifest, RKT_ID);

    assertThat(first.fromRegistry()).isFalse();
    assertThat(first.imageId()).matches("sha256:[0-9a-f]{64}");
    assertThat(first.imageId()).isEqualTo(second.imageId());
  }

  @Test
  void derivedIdIsSha256OfRktHex() {
    // SHA-256 of the 64 hex digits after "sha512-", computed with sha256sum.
    assertThat(ManifestDigest.derivedId(RKT_ID)).isEqualTo(
        "sha256:c97ddcd096d50e19b21c86cffb9f0b1d92eab7123ef63d4e1cdabbc143e60ebc");
  }

  @Test
  void malformedAnnotationDerivesId() {
    ImageManifest manifest = new ImageManifest("x", List.of(), null,
        List.of(new ImageManifest.NameValue(ImageManifest.MANIFEST_HASH, "sha256:abc")));

    assertThat(ManifestDigest.of(manifest, RKT_ID).fromRegistry()).isFalse();
  }
}
