package io.rktlet.image;

import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktImage;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.StateIndex;
import io.rktlet.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the image records in line with rkt's store at start-up. rkt's image list decides which
 * rkt images exist, and the records decide tags and digests.
 */
final class ImageReconciler {
  private static final Logger log = LoggerFactory.getLogger(ImageReconciler.class);

  private final RktCli rkt;
  private final Store store;
  private final StateIndex index;
  private final Path credentialsRoot;

  ImageReconciler(RktCli rkt, Store store, StateIndex index, Path credentialsRoot) {
    this.rkt = rkt;
    this.store = store;
    this.index = index;
    this.credentialsRoot = credentialsRoot;
  }

  /**
   * Deletes credential directories left by a crash, loads the records into the index, and
   * drops rkt image IDs that rkt no longer has, with the records left without any. When rkt
   * cannot list its images, every record is kept as stored.
   */
  void loadAndReconcile() {
    deleteLeftoverCredentials();
    List<ImageRecord> records = store.images();
    records.forEach(index::putImage);
    log.info("Loaded {} image records", records.size());
    Map<String, RktImage> rktImages;
    try {
      rktImages = rkt.imageList().stream()
          .collect(Collectors.toMap(RktImage::id, Function.identity(), (first, second) -> first));
    } catch (RktException | IllegalStateException | UncheckedIOException e) {
      log.warn("Failed to list rkt images, so all {} image records stay unchecked: {}",
          records.size(), e.getMessage());
      return;
    }
    for (ImageRecord record : records) {
      reconcile(record, rktImages);
    }
  }

  private void reconcile(ImageRecord record, Map<String, RktImage> rktImages) {
    List<String> missing = record.rktImageIds().stream()
        .filter(id -> !rktImages.containsKey(id))
        .toList();
    if (missing.isEmpty() && !record.rktImageIds().isEmpty()) {
      return;
    }
    ImageRecord updated = ImageRecords.withoutRktImages(record, missing, 0);
    if (updated.rktImageIds().isEmpty()) {
      store.deleteImage(record.id());
      index.removeImage(record.id());
      log.info("Dropped image {} with tags {}: its rkt images {} are no longer in rkt's store",
          record.id(), record.repoTags(), missing);
      return;
    }
    long sizeBytes = updated.rktImageIds().stream()
        .mapToLong(id -> rktImages.get(id).sizeBytes())
        .max()
        .orElse(record.sizeBytes());
    updated = ImageRecords.withoutRktImages(record, missing, sizeBytes);
    store.putImage(updated);
    index.putImage(updated);
    log.info("Dropped rkt images {} from image {} because they are no longer in rkt's store, "
        + "and kept rkt images {}", missing, record.id(), updated.rktImageIds());
  }

  private void deleteLeftoverCredentials() {
    try {
      int deleted = PullCredentials.deleteLeftovers(credentialsRoot);
      if (deleted > 0) {
        log.info("Deleted {} pull credential directories left under {} by an earlier run",
            deleted, credentialsRoot);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("Failed to delete old pull credential directories under {}: {}",
          credentialsRoot, e.toString());
    }
  }
}
