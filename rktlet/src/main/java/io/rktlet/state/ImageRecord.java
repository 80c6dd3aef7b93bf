package io.rktlet.state;

import java.util.List;

/**
 * One CRI image: every rkt store image fetched from the same registry manifest, with the tags
 * and digests it was asked for under.
 *
 * @param id the registry manifest digest, {@code sha256:} and 64 hex characters
 * @param repoTags references such as {@code docker.io/library/busybox:latest}
 * @param repoDigests references such as {@code docker.io/library/busybox@sha256:...}
 * @param rktImageIds store IDs of the rkt images behind this image ({@code sha512-...})
 * @param sizeBytes size of the largest of those rkt images
 * @param user the image's configured user (numeric or a name), or empty for root
 */
public record ImageRecord(
    String id,
    List<String> repoTags,
    List<String> repoDigests,
    List<String> rktImageIds,
    long sizeBytes,
    String user) {

  public ImageRecord {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    rktImageIds = List.copyOf(rktImageIds);
  }
}
