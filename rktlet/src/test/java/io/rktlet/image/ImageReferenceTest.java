package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReferenceTest {
  private static final String DIGEST =
      "sha256:2b0594d8c3edda521563cdfccec2aebfec2723c7242f4da309ceaa30f1009564";

  static Stream<Arguments> validReferences() {
    return Stream.of(
        Arguments.of("official image without tag", "busybox",
            "docker.io", "library/busybox", "latest", null),
        Arguments.of("official image with tag", "busybox:1.36",
            "docker.io", "library/busybox", "1.36", null),
        Arguments.of("user repository on Docker Hub", "user/app",
            "docker.io", "user/app", "latest", null),
        Arguments.of("explicit docker.io keeps library prefix", "docker.io/busybox",
            "docker.io", "library/busybox", "latest", null),
        Arguments.of("legacy index.docker.io host", "index.docker.io/library/busybox:1",
            "docker.io", "library/busybox", "1", null),
        Arguments.of("other registry stays", "quay.io/x/y:1",
            "quay.io", "x/y", "1", null),
        Arguments.of("host with port", "localhost:5000/x",
            "localhost:5000", "x", "latest", null),
        Arguments.of("localhost without port", "localhost/x:2",
            "localhost", "x", "2", null),
        Arguments.of("IP address with port", "127.0.0.1:5066/busybox:v2",
            "127.0.0.1:5066", "busybox", "v2", null),
        Arguments.of("digest reference", "busybox@" + DIGEST,
            "docker.io", "library/busybox", null, DIGEST),
        Arguments.of("tag and digest keep only the digest", "repo:tag@" + DIGEST,
            "docker.io", "library/repo", null, DIGEST),
        Arguments.of("deep path with separators", "registry.k8s.io/a.b/c_d/e__f/g--h:v1.0-rc_1",
            "registry.k8s.io", "a.b/c_d/e__f/g--h", "v1.0-rc_1", null),
        Arguments.of("bracketed IPv6 host", "[::1]:5000/x",
            "[::1]:5000", "x", "latest", null),
        Arguments.of("name without a dot is a Docker Hub user", "myhost/app",
            "docker.io", "myhost/app", "latest", null));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("validReferences")
  void parseNormalisesValidReference(String description, String text, String host,
      String repository, String tag, String digest) {
    ImageReference reference = ImageReference.parse(text, "image.image");

    assertThat(reference.host()).isEqualTo(host);
    assertThat(reference.repository()).isEqualTo(repository);
    assertThat(reference.tag()).isEqualTo(tag);
    assertThat(reference.digest()).isEqualTo(digest);
  }

  static Stream<Arguments> invalidReferences() {
    return Stream.of(
        Arguments.of("empty", "", "the reference is empty"),
        Arguments.of("uppercase repository", "BusyBox", "must be lowercase"),
        Arguments.of("uppercase user repository", "User/app", "must be lowercase"),
        Arguments.of("short digest", "busybox@sha256:2b05", "the digest must be sha256:"),
        Arguments.of("unknown digest algorithm", "busybox@md5:" + "0".repeat(32),
            "the digest must be sha256:"),
        Arguments.of("uppercase digest", "busybox@" + DIGEST.toUpperCase(),
            "the digest must be sha256:"),
        Arguments.of("space inside", "busy box", "whitespace"),
        Arguments.of("trailing newline", "busybox\n", "whitespace"),
        Arguments.of("leading dash", "--insecure-options=all", "must not start with '-'"),
        Arguments.of("empty tag", "busybox:", "the tag \"\" is invalid"),
        Arguments.of("tag starting with a dot", "busybox:.x", "is invalid"),
        Arguments.of("tag longer than 128", "busybox:" + "a".repeat(129), "is invalid"),
        Arguments.of("empty path component", "quay.io//x", "is invalid"),
        Arguments.of("trailing slash", "quay.io/x/", "is invalid"),
        Arguments.of("separator at the end", "busybox-", "is invalid"),
        Arguments.of("host with underscore", "my_host.io/x", "registry host"),
        Arguments.of("name without repository", "quay.io/", "is invalid"),
        Arguments.of("bare 64-hex name", "a".repeat(64), "64 hexadecimal"),
        Arguments.of("name over 255 characters", "quay.io/" + "a".repeat(250),
            "longer than 255"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidReferences")
  void parseRejectsInvalidReference(String description, String text, String reason) {
    assertThatThrownBy(() -> ImageReference.parse(text, "image.image"))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("image.image")
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining(reason);
  }

  @Test
  void toStringGivesNormalisedTagReference() {
    assertThat(ImageReference.parse("busybox", "f").toString())
        .isEqualTo("docker.io/library/busybox:latest");
  }

  @Test
  void toStringGivesNormalisedDigestReference() {
    assertThat(ImageReference.parse("quay.io/x/y:1@" + DIGEST, "f").toString())
        .isEqualTo("quay.io/x/y@" + DIGEST);
  }

  @Test
  void withDigestNamesRepositoryAndDigest() {
    ImageReference reference = ImageReference.parse("localhost:5000/x:2", "f");

    assertThat(reference.withDigest(DIGEST)).isEqualTo("localhost:5000/x@" + DIGEST);
  }

  @Test
  void isImageIdAcceptsOnlyFullSha256() {
    assertThat(ImageReference.isImageId(DIGEST)).isTrue();
    assertThat(ImageReference.isImageId(DIGEST.substring(0, 20))).isFalse();
    assertThat(ImageReference.isImageId(DIGEST.substring(7))).isFalse();
    assertThat(ImageReference.isImageId(null)).isFalse();
  }
}
