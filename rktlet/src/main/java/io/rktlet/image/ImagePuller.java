package io.rktlet.image;

import io.rktlet.errors.CriException;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches an image into rkt's store, trying the endpoints of its registry in order. Credentials
 * reach rkt only through a private user-configuration directory, never its argument list.
 */
public final class ImagePuller {
  private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);

  /** Failures after which the next endpoint may still have the image. */
  private static final Set<RktFailure> TRY_NEXT = Set.of(
      RktFailure.REGISTRY_UNREACHABLE, RktFailure.IMAGE_NOT_IN_REGISTRY,
      RktFailure.REGISTRY_NOT_HTTPS);

  /** The rkt image ID and the endpoint that served it. */
  public record Fetched(String rktImageId, RegistryEndpoint endpoint) {}

  private final RktCli rkt;
  private final RegistryRoute route;
  private final Path credentialsRoot;

  /**
   * @param credentialsRoot directory under which each pull with credentials gets its own
   *     private directory
   */
  public ImagePuller(RktCli rkt, RegistryRoute route, Path credentialsRoot) {
    this.rkt = rkt;
    this.route = route;
    this.credentialsRoot = credentialsRoot;
  }

  /**
   * Fetches the image and returns rkt's ID for it. All endpoints together get at most
   * {@code timeout}, and less when the gRPC call's deadline is nearer.
   *
   * @throws CriException with the code of the last endpoint's failure
   */
  public Fetched fetch(ImageReference reference, Optional<RegistryAuth> auth, Duration timeout) {
    List<RegistryEndpoint> endpoints = route.endpoints(reference);
    List<RegistryEndpoint> tried = new ArrayList<>();
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    for (RegistryEndpoint endpoint : endpoints) {
      tried.add(endpoint);
      Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
      if (left.isNegative() || left.isZero()) {
        throw CriException.deadlineExceeded("pulling image " + reference + " timed out after "
            + timeout.toSeconds() + " s before " + endpoint.describe() + " was tried", null);
      }
      try {
        return new Fetched(fetchFrom(reference, endpoint, auth, left), endpoint);
      } catch (RktException e) {
        boolean lastEndpoint = tried.size() == endpoints.size();
        if (lastEndpoint || !TRY_NEXT.contains(e.failure())) {
          throw PullErrors.toCri(reference, tried, e);
        }
        log.warn("Failed to pull image {} from {}, trying {} next: {}", reference,
            endpoint.describe(), endpoints.get(tried.size()).describe(), e.reason());
      }
    }
    throw new IllegalStateException("a registry route always ends with the registry itself");
  }

  private String fetchFrom(ImageReference reference, RegistryEndpoint endpoint,
      Optional<RegistryAuth> auth, Duration timeout) {
    String url = endpoint.dockerUrl(reference);
    log.info("Pulling image {} from {}", reference, endpoint.describe());
    try {
      if (auth.isEmpty()) {
        return rkt.fetch(url, endpoint.plainHttp(), null, timeout);
      }
      try (PullCredentials credentials =
          PullCredentials.write(credentialsRoot, endpoint.host(), auth.get())) {
        return rkt.fetch(url, endpoint.plainHttp(), credentials.directory(), timeout);
      }
    } catch (IOException e) {
      throw CriException.unknown("failed to write pull credentials for image " + reference
          + " under " + credentialsRoot, e);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw CriException.unknown("failed to pull image " + reference + " from "
          + endpoint.describe(), e);
    }
  }
}
