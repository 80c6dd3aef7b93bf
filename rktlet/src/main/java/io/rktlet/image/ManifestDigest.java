package io.rktlet.image;

import io.rktlet.rkt.ImageManifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The CRI image ID of a fetched rkt image: the registry manifest digest that rkt records in the
 * {@code appc.io/docker/manifesthash} annotation.
 *
 * @param imageId {@code sha256:} and 64 lowercase hex characters
 * @param fromRegistry false when the annotation was missing and the ID was derived instead
 */
public record ManifestDigest(String imageId, boolean fromRegistry) {

  /**
   * Returns the manifest digest of the image. When rkt recorded none (docker2aci leaves it
   * empty for images from a registry that only speaks API v1), the ID is the SHA-256 of the rkt
   * image ID's hex digits instead. That ID is stable for the rkt image but is no registry
   * digest, so no one can pull by it and it must not appear in repo digests.
   */
  public static ManifestDigest of(ImageManifest manifest, String rktImageId) {
    String hash = manifest.annotation(ImageManifest.MANIFEST_HASH);
    if (ImageReference.isImageId(hash)) {
      return new ManifestDigest(hash, true);
    }
    return new ManifestDigest(derivedId(rktImageId), false);
  }

  static String derivedId(String rktImageId) {
    String hex = rktImageId.startsWith("sha512-") ? rktImageId.substring(7) : rktImageId;
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(hex.getBytes(StandardCharsets.US_ASCII));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
