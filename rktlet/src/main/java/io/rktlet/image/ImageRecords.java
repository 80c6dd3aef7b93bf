package io.rktlet.image;

import io.rktlet.state.ImageRecord;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pure edits of image records: each returns a new record and changes nothing else. */
public final class ImageRecords {
  private ImageRecords() {}

  /**
   * Returns {@code existing} (or a new record when null) with the pulled rkt image, the tag
   * reference of a tag pull, and the digest references. Like containerd, every pull adds
   * {@code host/repository@digest}, unless the ID was derived and so is no registry digest.
   */
  public static ImageRecord afterPull(ImageRecord existing, PulledImage pulled) {
    ImageReference reference = pulled.reference();
    String imageId = pulled.digest().imageId();
    Set<String> tags = new LinkedHashSet<>();
    Set<String> digests = new LinkedHashSet<>();
    Set<String> rktImageIds = new LinkedHashSet<>();
    long sizeBytes = pulled.sizeBytes();
    if (existing != null) {
      tags.addAll(existing.repoTags());
      digests.addAll(existing.repoDigests());
      rktImageIds.addAll(existing.rktImageIds());
      sizeBytes = Math.max(sizeBytes, existing.sizeBytes());
    }
    if (reference.isDigest()) {
      digests.add(reference.toString());
    } else {
      tags.add(reference.toString());
    }
    if (pulled.digest().fromRegistry()) {
      digests.add(reference.withDigest(imageId));
    }
    rktImageIds.add(pulled.rktImageId());
    return new ImageRecord(imageId, List.copyOf(tags), List.copyOf(digests),
        List.copyOf(rktImageIds), sizeBytes, pulled.user());
  }

  /** Returns the record without the tag reference and without the given rkt images. */
  public static ImageRecord withoutTag(
      ImageRecord record, String tagReference, Collection<String> rktImageIds) {
    List<String> tags = record.repoTags().stream()
        .filter(tag -> !tag.equals(tagReference))
        .toList();
    return new ImageRecord(record.id(), tags, record.repoDigests(),
        remaining(record, rktImageIds), record.sizeBytes(), record.user());
  }

  /** Returns the record without the given rkt images and with a new size. */
  public static ImageRecord withoutRktImages(
      ImageRecord record, Collection<String> rktImageIds, long sizeBytes) {
    return new ImageRecord(record.id(), record.repoTags(), record.repoDigests(),
        remaining(record, rktImageIds), sizeBytes, record.user());
  }

  private static List<String> remaining(ImageRecord record, Collection<String> removed) {
    return record.rktImageIds().stream().filter(id -> !removed.contains(id)).toList();
  }
}
