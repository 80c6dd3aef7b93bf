package io.rktlet.image;

import io.rktlet.errors.CriException;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.StateIndex;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Finds image records in the in-memory index by CRI image ID, unique ID prefix, tag reference or
 * digest reference, the forms that crictl and the kubelet send. It never runs a process.
 */
public final class ImageIndex {
  private static final String ID_PREFIX = "sha256:";
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

  private final StateIndex index;

  public ImageIndex(StateIndex index) {
    this.index = index;
  }

  /**
   * Returns the image that {@code spec} names, or empty when none or several match. The spec is
   * tried as an image ID ({@code sha256:<hex>}, a unique prefix of it, or the bare hex), then
   * as a reference, normalised as Docker does, so {@code busybox} finds
   * {@code docker.io/library/busybox:latest}.
   *
   * @param field the request field the spec came from, named in errors
   * @throws CriException INVALID_ARGUMENT when the spec is neither an ID nor a valid reference
   */
  public Optional<ImageRecord> find(String spec, String field) {
    if (spec == null || spec.isEmpty()) {
      throw CriException.invalidArgument(field + " is empty; expected an image ID or reference");
    }
    if (spec.startsWith(ID_PREFIX)) {
      return findById(spec.substring(ID_PREFIX.length()));
    }
    if (HEX_64.matcher(spec).matches()) {
      return findById(spec);
    }
    ImageReference reference = ImageReference.parse(spec, field);
    Optional<ImageRecord> byReference = findByReference(reference);
    if (byReference.isPresent() || !HEX.matcher(spec).matches()) {
      return byReference;
    }
    // A short hex string such as "2b0594d8c3ed" is also a valid repository name, so it counts
    // as an ID prefix only when no image has that name.
    return findById(spec);
  }

  /** Returns the image with the tag or digest reference, or empty. */
  public Optional<ImageRecord> findByReference(ImageReference reference) {
    String normalised = reference.toString();
    Predicate<ImageRecord> matches = reference.isDigest()
        ? record -> record.repoDigests().contains(normalised)
        : record -> record.repoTags().contains(normalised);
    return index.images().stream()
        .filter(matches)
        .min(Comparator.comparing(ImageRecord::id));
  }

  /** Returns every image other than {@code imageId} that carries the tag reference. */
  public List<ImageRecord> othersWithTag(String tagReference, String imageId) {
    return index.images().stream()
        .filter(record -> !record.id().equals(imageId))
        .filter(record -> record.repoTags().contains(tagReference))
        .sorted(Comparator.comparing(ImageRecord::id))
        .toList();
  }

  /** Returns every image, ordered by ID. */
  public List<ImageRecord> all() {
    return index.images().stream().sorted(Comparator.comparing(ImageRecord::id)).toList();
  }

  private Optional<ImageRecord> findById(String hexOrPrefix) {
    if (hexOrPrefix.isEmpty() || !HEX.matcher(hexOrPrefix).matches()) {
      return Optional.empty();
    }
    String prefix = ID_PREFIX + hexOrPrefix;
    Optional<ImageRecord> exact = index.image(prefix);
    if (exact.isPresent()) {
      return exact;
    }
    List<ImageRecord> matches = index.images().stream()
        .filter(record -> record.id().startsWith(prefix))
        .limit(2)
        .toList();
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }
}
