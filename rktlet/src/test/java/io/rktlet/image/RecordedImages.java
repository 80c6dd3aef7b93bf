package io.rktlet.image;

import io.rktlet.image.FakeRkt.FakeImage;

/**
 * Images of the local registry 127.0.0.1:5066 as rkt 1.30.0 fetched them: the printed IDs,
 * the sizes from {@code rkt image list} and the {@code rkt image cat-manifest} outputs, taken
 * from the recorded transcripts.
 */
final class RecordedImages {
  static final String FILE = "images.jsonl";

  /** Manifest digest of busybox:latest and busybox:v2, the same content under two tags. */
  static final String BUSYBOX_DIGEST =
      "sha256:2b0594d8c3edda521563cdfccec2aebfec2723c7242f4da309ceaa30f1009564";
  static final String BUSYBOX_USER_DIGEST =
      "sha256:90afdf69bd54f9aa8f13f5bcf77afe76ca2ada5f65d389857493d010253e2104";
  static final String BUSYBOX_NOBODY_DIGEST =
      "sha256:1d1db53372c21071c937ed7bebf03974bf2bc238f5ad2130549d26280f7f6660";

  private static final String LATEST_MANIFEST_NOTE = "cat-manifest of docker-converted busybox";

  private RecordedImages() {}

  /** busybox:latest, fetched by tag. */
  static FakeImage busyboxLatest() {
    return new FakeImage(fetchedId("fetch docker://127.0.0.1:5066/busybox:latest"), 2128896,
        manifest(LATEST_MANIFEST_NOTE));
  }

  /**
   * busybox:v2, the same content as busybox:latest. Its manifest was not recorded, so it is the
   * recorded busybox:latest manifest with the tag changed where rkt writes it.
   */
  static FakeImage busyboxV2() {
    String manifest = manifest(LATEST_MANIFEST_NOTE)
        .replace("\"value\": \"latest\"", "\"value\": \"v2\"")
        .replace("127.0.0.1:5066/busybox:latest", "127.0.0.1:5066/busybox:v2");
    return new FakeImage(fetchedId("fetch the same image by second tag"), 4138838, manifest);
  }

  /** busybox@sha256:2b05..., fetched by digest. */
  static FakeImage busyboxByDigest() {
    return new FakeImage(fetchedId("fetch by digest busybox@sha256"), 4139387,
        manifest("cat-manifest of the by-digest import"));
  }

  /** busybox-user:latest, whose image config sets user 1000:1000. */
  static FakeImage busyboxUser() {
    // Its size was not recorded; any positive size serves.
    return new FakeImage(fetchedId("fetch busybox-user:latest"), 4138901,
        manifest("cat-manifest busybox-user by name"));
  }

  /** busybox-nobody:latest, whose image config sets user nobody. */
  static FakeImage busyboxNobody() {
    return new FakeImage(fetchedId("fetch busybox-nobody:latest"), 4138902,
        manifest("cat-manifest busybox-nobody by name"));
  }

  static String manifest(String noteStart) {
    return RktTranscript.find(FILE, noteStart).stdout();
  }

  private static String fetchedId(String noteStart) {
    return RktTranscript.find(FILE, noteStart).fetchedImageId();
  }
}
