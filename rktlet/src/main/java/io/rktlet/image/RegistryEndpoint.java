package io.rktlet.image;

import java.util.Locale;

/**
 * One place a pull can fetch from: a configured mirror or the registry host itself.
 *
 * @param host {@code HOST[:PORT]} that rkt connects to
 * @param plainHttp true when the endpoint speaks HTTP without TLS
 * @param mirror true for a configured mirror, false for the reference's own registry
 */
public record RegistryEndpoint(String host, boolean plainHttp, boolean mirror) {

  /**
   * Returns the URL that {@code rkt fetch} takes for the reference at this endpoint, for
   * example {@code docker://127.0.0.1:5000/library/busybox:latest}. The repository keeps its
   * name, so a mirror serves the image under the same path as the original registry.
   */
  public String dockerUrl(ImageReference reference) {
    String suffix = reference.isDigest() ? "@" + reference.digest() : ":" + reference.tag();
    return "docker://" + host + "/" + reference.repository() + suffix;
  }

  /** Returns the name rkt gives an image fetched from this endpoint, as in its image list. */
  public String rktImageName(ImageReference reference) {
    // rkt 1.30.0 names a fetched image after the endpoint, lowercased and with characters
    // outside [a-z0-9._~/-] replaced by '_', and adds the tag as its version label (recorded:
    // "127.0.0.1_5066/busybox:latest").
    String endpoint = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._~/-]", "_");
    String name = endpoint + "/" + reference.repository();
    return reference.isDigest() ? name : name + ":" + reference.tag();
  }

  /** Returns a description for logs and errors, such as {@code mirror 127.0.0.1:5000}. */
  public String describe() {
    return (mirror ? "mirror " : "registry ") + host + (plainHttp ? " (plain HTTP)" : "");
  }
}
