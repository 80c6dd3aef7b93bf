package io.rktlet.image;

import io.rktlet.config.RegistryHost;
import io.rktlet.cri.v1.Image;
import io.rktlet.cri.v1.ImageFilter;
import io.rktlet.cri.v1.ImageFsInfoRequest;
import io.rktlet.cri.v1.ImageFsInfoResponse;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ImageStatusResponse;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.cri.v1.ListImagesResponse;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.PullImageResponse;
import io.rktlet.cri.v1.RemoveImageRequest;
import io.rktlet.errors.CriException;
import io.rktlet.rkt.ImageManifest;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import io.rktlet.rkt.RktImage;
import io.rktlet.state.ImageRecord;
import io.rktlet.stats.FilesystemUsageReader;
import io.rktlet.stats.ImageFsInfoReader;
import io.rktlet.util.NanoClock;
import io.rktlet.state.StateIndex;
import io.rktlet.store.Store;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the CRI image calls and rktlet's image records. Pulls fetch with rkt and group the
 * result by registry manifest digest. List and Status calls read the in-memory index only.
 */
public class ImageManager {
  private static final Logger log = LoggerFactory.getLogger(ImageManager.class);

  /**
   * Default bound on one PullImage across all its endpoints, generous enough for large images
   * on slow links. A nearer deadline of the gRPC call wins.
   */
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(30);

  private static final String IMAGE_FIELD = "image.image";
  private static final String CONTAINER_IMAGE_FIELD = "config.image.image";

  private final RktCli rkt;
  private final StateIndex index;
  private final ImageIndex images;
  private final ImagePuller puller;
  private final ImageRecordWriter records;
  private final ImageReconciler reconciler;
  private final Duration pullTimeout;
  private final ImageFsInfoReader fsUsage;
  private final RegistryRoute route;

  /** Serialises every change to image records and the rkt image removals that go with it. */
  private final Object recordsLock = new Object();

  /**
   * @param registries mirror and insecure settings per registry host
   * @param credentialsRoot directory for the private per-pull credential directories; a
   *     tmpfs such as {@code /run/rktlet/pull-credentials} keeps passwords off disk
   * @param pullTimeout bound on one PullImage, see {@link #DEFAULT_PULL_TIMEOUT}
   */
  public ImageManager(RktCli rkt, Store store, StateIndex index,
      Map<String, RegistryHost> registries, Path credentialsRoot, Duration pullTimeout) {
    this.route = new RegistryRoute(registries);
    this.rkt = rkt;
    this.index = index;
    this.images = new ImageIndex(index);
    this.puller = new ImagePuller(rkt, route, credentialsRoot);
    this.records = new ImageRecordWriter(rkt, store, index, images, route);
    this.reconciler = new ImageReconciler(rkt, store, index, credentialsRoot);
    this.pullTimeout = pullTimeout;
    // The kubelet asks every few seconds; one walk of the store is reused for 10 s.
    this.fsUsage = new ImageFsInfoReader(rkt.config().dataDir(),
        new FilesystemUsageReader(FilesystemUsageReader.PROC_SELF_MOUNTINFO, NanoClock.SYSTEM),
        NanoClock.SYSTEM, Duration.ofSeconds(10));
  }

  /** Replaces the registry mirrors and insecure registries, for a configuration reload. */
  public void updateRegistries(Map<String, RegistryHost> registries) {
    route.update(registries);
  }

  /**
   * Loads the image records into the index and drops rkt images that rkt no longer has. The
   * server calls this once at start, before it serves requests.
   */
  public void loadAndReconcile() {
    synchronized (recordsLock) {
      reconciler.loadAndReconcile();
    }
  }

  /** Fetches the image and returns its ID, the registry manifest digest. */
  public PullImageResponse pullImage(PullImageRequest request) {
    ImageReference reference = ImageReference.parse(request.getImage().getImage(), IMAGE_FIELD);
    Optional<RegistryAuth> auth = RegistryAuth.from(request.hasAuth() ? request.getAuth() : null);
    ImagePuller.Fetched fetched = puller.fetch(reference, auth, pullTimeout);
    ImageManifest manifest = readManifest(reference, fetched.rktImageId());
    ImageRecord record;
    synchronized (recordsLock) {
      List<RktImage> rktImages = listRktImages("record the pull of image " + reference);
      PulledImage pulled = describe(reference, fetched.rktImageId(), manifest, rktImages);
      record = records.recordPull(pulled, rktImages);
    }
    log.info("Pulled image {} as {} from {} into rkt image {}", reference, record.id(),
        fetched.endpoint().describe(), fetched.rktImageId());
    return PullImageResponse.newBuilder().setImageRef(record.id()).build();
  }

  public ListImagesResponse listImages(ListImagesRequest request) {
    ImageFilter filter = request.hasFilter() ? request.getFilter() : null;
    return ListImagesResponse.newBuilder().addAllImages(listImages(filter)).build();
  }

  /**
   * Returns the images that match the filter's image spec (an ID, ID prefix or reference), or
   * every image when the filter is null or empty. StreamImages sends the same list in batches.
   */
  public List<Image> listImages(ImageFilter filter) {
    String spec = filter == null ? "" : filter.getImage().getImage();
    List<ImageRecord> matching = spec.isEmpty()
        ? images.all()
        : images.find(spec, "filter.image.image").stream().toList();
    return matching.stream().map(CriImages::toImage).toList();
  }

  /** Returns the image, or an empty response when it is not present (not an error). */
  public ImageStatusResponse imageStatus(ImageStatusRequest request) {
    Optional<ImageRecord> record = images.find(request.getImage().getImage(), IMAGE_FIELD);
    if (record.isEmpty()) {
      return ImageStatusResponse.getDefaultInstance();
    }
    ImageStatusResponse.Builder response =
        ImageStatusResponse.newBuilder().setImage(CriImages.toImage(record.get()));
    if (request.getVerbose()) {
      response.putAllInfo(CriImages.verboseInfo(record.get()));
    }
    return response.build();
  }

  /**
   * Removes the image with every tag and every rkt image behind it, as containerd removes the
   * whole image when asked by one of several tags.
   */
  public void removeImage(RemoveImageRequest request) {
    Optional<ImageRecord> found = images.find(request.getImage().getImage(), IMAGE_FIELD);
    if (found.isEmpty()) {
      // The CRI requires RemoveImage to succeed when the image is already gone.
      log.debug("RemoveImage of {}: no such image", request.getImage().getImage());
      return;
    }
    synchronized (recordsLock) {
      Optional<ImageRecord> current = index.image(found.get().id());
      if (current.isPresent()) {
        records.remove(current.get());
      }
    }
  }

  /**
   * Reports the usage of rkt's image store ({@code cas}) as the image file system and of its
   * pods directory (the apps' writable layers) as the container file system, each with its
   * mount point, as CRI-O reports both; the kubelet treats them as one disk when the mount
   * points are equal.
   */
  public ImageFsInfoResponse imageFsInfo(ImageFsInfoRequest request) {
    try {
      return fsUsage.read();
    } catch (IOException e) {
      throw CriException.unknown("failed to measure rkt's image store", e);
    }
  }

  /**
   * Finds the image that a container config names, by CRI image ID, ID prefix, tag or digest
   * reference.
   *
   * @throws CriException INVALID_ARGUMENT naming {@code config.image.image} when the value is
   *     neither an ID nor a valid reference
   */
  public Optional<ImageRecord> resolve(String reference) {
    return images.find(reference, CONTAINER_IMAGE_FIELD);
  }

  private ImageManifest readManifest(ImageReference reference, String rktImageId) {
    try {
      return rkt.catManifest(rktImageId);
    } catch (RktException | IllegalStateException | UncheckedIOException e) {
      throw CriException.unknown("failed to read the manifest of rkt image " + rktImageId
          + " pulled for image " + reference, e);
    }
  }

  private List<RktImage> listRktImages(String purpose) {
    try {
      return rkt.imageList();
    } catch (RktException e) {
      if (e.failure() == RktFailure.TIMEOUT) {
        throw CriException.deadlineExceeded("rkt image list timed out; cannot " + purpose, e);
      }
      throw CriException.unknown("failed to list rkt images to " + purpose, e);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw CriException.unknown("failed to list rkt images to " + purpose, e);
    }
  }

  private static PulledImage describe(ImageReference reference, String rktImageId,
      ImageManifest manifest, List<RktImage> rktImages) {
    RktImage rktImage = rktImages.stream()
        .filter(image -> image.id().equals(rktImageId))
        .findFirst()
        .orElseThrow(() -> CriException.unknown("rkt image " + rktImageId + " of image "
            + reference + " left rkt's store right after the fetch, probably removed by a "
            + "concurrent RemoveImage; pull the image again", null));
    ManifestDigest digest = ManifestDigest.of(manifest, rktImageId);
    if (!digest.fromRegistry()) {
      log.warn("rkt recorded no manifest digest for image {} (rkt image {}); using the derived "
          + "ID {}, which is no registry digest", reference, rktImageId, digest.imageId());
    }
    String user = manifest.app() == null || manifest.app().user() == null
        ? "" : manifest.app().user();
    return new PulledImage(reference, digest, rktImageId, rktImage.sizeBytes(), user);
  }
}
