package io.rktlet.image;

import io.rktlet.errors.CriException;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import io.rktlet.rkt.RktImage;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.store.Store;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes image records, always the store first and then the index, together with the rkt
 * images that the change removes. Callers hold the image manager's records lock.
 */
final class ImageRecordWriter {
  private static final Logger log = LoggerFactory.getLogger(ImageRecordWriter.class);

  private final RktCli rkt;
  private final Store store;
  private final StateIndex index;
  private final ImageIndex images;
  private final RegistryRoute route;

  ImageRecordWriter(
      RktCli rkt, Store store, StateIndex index, ImageIndex images, RegistryRoute route) {
    this.rkt = rkt;
    this.store = store;
    this.index = index;
    this.images = images;
    this.route = route;
  }

  /**
   * Adds the pulled rkt image to the record of its digest and, for a tag pull, takes the tag
   * away from any other image that still carries it.
   *
   * @param rktImages rkt's current image list, which contains the pulled image
   */
  ImageRecord recordPull(PulledImage pulled, List<RktImage> rktImages) {
    ImageRecord existing = index.image(pulled.digest().imageId()).orElse(null);
    ImageRecord record = ImageRecords.afterPull(existing, pulled);
    save(record);
    if (!pulled.reference().isDigest()) {
      untagOthers(pulled.reference(), record.id(), rktImages);
    }
    return record;
  }

  /**
   * Removes every rkt image of the record, then the record. {@code rkt image rm} exits 0 even
   * when it removed nothing, so what remains is checked with {@code rkt image list}.
   */
  void remove(ImageRecord record) {
    try {
      removeRktImages(record.id(), record.rktImageIds());
    } catch (RktException e) {
      if (e.failure() == RktFailure.TIMEOUT) {
        throw CriException.deadlineExceeded("removing image " + record.id() + " timed out", e);
      }
      throw CriException.unknown("failed to remove image " + record.id(), e);
    }
    delete(record);
    log.info("Removed image {} with tags {} and rkt images {}", record.id(), record.repoTags(),
        record.rktImageIds());
  }

  /**
   * Moves a tag that now names another digest: the old record loses the tag and the rkt images
   * fetched under it, and goes away when no rkt image is left. An old record that still has
   * rkt images (fetched by digest or under other tags) stays, as containerd keeps it.
   */
  private void untagOthers(ImageReference tag, String newImageId, List<RktImage> rktImages) {
    String tagReference = tag.toString();
    Set<String> tagImageNames = route.endpoints(tag).stream()
        .map(endpoint -> endpoint.rktImageName(tag))
        .collect(Collectors.toSet());
    Map<String, String> nameById = rktImages.stream()
        .collect(Collectors.toMap(RktImage::id, RktImage::name, (first, second) -> first));
    for (ImageRecord old : images.othersWithTag(tagReference, newImageId)) {
      List<String> tagImages = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String rktImageId : old.rktImageIds()) {
        String name = nameById.get(rktImageId);
        if (name == null) {
          missing.add(rktImageId);
        } else if (tagImageNames.contains(name)) {
          tagImages.add(rktImageId);
        }
      }
      List<String> dropped = new ArrayList<>(tagImages);
      dropped.addAll(missing);
      ImageRecord updated = ImageRecords.withoutTag(old, tagReference, dropped);
      log.info("Moving tag {} from image {} to {} and removing rkt images {} fetched under it",
          tagReference, old.id(), newImageId, tagImages);
      if (updated.rktImageIds().isEmpty()) {
        delete(old);
        log.info("Removed image {}: none of its rkt images remain", old.id());
      } else {
        save(updated);
      }
      removeRktImagesQuietly(old.id(), tagImages);
    }
  }

  private void removeRktImagesQuietly(String imageId, List<String> rktImageIds) {
    try {
      removeRktImages(imageId, rktImageIds);
    } catch (RktException | IllegalStateException | UncheckedIOException e) {
      log.warn("Failed to remove rkt images {} of image {}; they stay in rkt's store: {}",
          rktImageIds, imageId, e.getMessage());
    }
  }

  private void removeRktImages(String imageId, List<String> rktImageIds) {
    if (rktImageIds.isEmpty()) {
      return;
    }
    int removed = rkt.imageRemove(rktImageIds);
    if (removed == rktImageIds.size()) {
      return;
    }
    List<String> remaining;
    try {
      Set<String> present = rkt.imageList().stream()
          .map(RktImage::id)
          .collect(Collectors.toSet());
      remaining = rktImageIds.stream().filter(present::contains).toList();
    } catch (RktException | IllegalStateException | UncheckedIOException e) {
      log.warn("rkt removed {} of rkt images {} of image {}, and listing rkt images to check "
          + "the rest failed: {}", removed, rktImageIds, imageId, e.getMessage());
      return;
    }
    if (!remaining.isEmpty()) {
      log.warn("rkt did not remove rkt images {} of image {}; they stay in rkt's store",
          remaining, imageId);
    }
  }

  private void save(ImageRecord record) {
    store.putImage(record);
    index.putImage(record);
  }

  private void delete(ImageRecord record) {
    store.deleteImage(record.id());
    index.removeImage(record.id());
  }
}
