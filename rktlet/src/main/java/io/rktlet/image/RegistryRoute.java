package io.rktlet.image;

import io.rktlet.config.RegistryHost;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the endpoints a pull tries, in order: each configured mirror of the reference's
 * registry host, then the host itself (plain HTTP when configured insecure).
 */
public final class RegistryRoute {
  private static final Logger log = LoggerFactory.getLogger(RegistryRoute.class);

  /** The endpoint that serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";

  /** The settings of every configured host, replaced as a whole on a reload. */
  private record Table(Map<String, List<RegistryEndpoint>> mirrorsByHost,
      Map<String, Boolean> insecureByHost) {}

  private volatile Table table;

  public RegistryRoute(Map<String, RegistryHost> registries) {
    update(registries);
  }

  /** Replaces the registry settings; pulls that already started keep the old ones. */
  public void update(Map<String, RegistryHost> registries) {
    Map<String, List<RegistryEndpoint>> mirrors = new LinkedHashMap<>();
    Map<String, Boolean> insecure = new LinkedHashMap<>();
    registries.forEach((host, config) -> {
      mirrors.put(host, mirrorEndpoints(config));
      insecure.put(host, config.insecure());
    });
    table = new Table(mirrors, insecure);
  }

  /** Returns the endpoints to try for the reference, in order. */
  public List<RegistryEndpoint> endpoints(ImageReference reference) {
    Table current = table;
    List<RegistryEndpoint> endpoints =
        new ArrayList<>(current.mirrorsByHost().getOrDefault(reference.host(), List.of()));
    boolean insecure = current.insecureByHost().getOrDefault(reference.host(), false);
    endpoints.add(new RegistryEndpoint(ownEndpoint(reference.host()), insecure, false));
    return endpoints;
  }

  // NOTE: no recorded run of rkt fetched from Docker Hub. The docker2aci code that rkt 1.30.0
  // vendors would also map docker.io to registry-1.docker.io, but rktlet names the API host
  // itself so that the fetch and the credentials file agree on one host name.
  private static String ownEndpoint(String host) {
    return host.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_ENDPOINT : host;
  }

  private static List<RegistryEndpoint> mirrorEndpoints(RegistryHost config) {
    List<RegistryEndpoint> endpoints = new ArrayList<>();
    for (URI mirror : config.mirrors()) {
      String path = mirror.getRawPath();
      if (path != null && !path.isEmpty() && !path.equals("/")) {
        // rkt fetches docker://HOST[:PORT]/REPOSITORY and has no place for a path prefix.
        log.warn("Ignoring mirror {} of registry {}: a mirror URL with a path is not supported",
            mirror, config.host());
        continue;
      }
      String authority = mirror.getPort() == -1
          ? mirror.getHost() : mirror.getHost() + ":" + mirror.getPort();
      endpoints.add(new RegistryEndpoint(authority, "http".equals(mirror.getScheme()), true));
    }
    return List.copyOf(endpoints);
  }
}
