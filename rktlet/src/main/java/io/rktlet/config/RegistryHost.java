package io.rktlet.config;

import java.net.URI;
import java.util.List;

/**
 * Pull settings of one registry host, as in containerd's and CRI-O's registry configuration.
 *
 * @param host the registry host as it appears in image references, for example
 *     {@code docker.io} or {@code registry.k8s.io} or {@code 127.0.0.1:5000}
 * @param mirrors endpoints tried in order before the host itself, such as
 *     {@code http://127.0.0.1:5000}; the image keeps its original name
 * @param insecure true when the host itself speaks plain HTTP
 */
public record RegistryHost(String host, List<URI> mirrors, boolean insecure) {
  public RegistryHost {
    mirrors = List.copyOf(mirrors);
    for (URI mirror : mirrors) {
      String scheme = mirror.getScheme();
      if (mirror.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        throw new ConfigException("invalid mirror \"" + mirror + "\" for registry " + host
            + "; expected http://HOST[:PORT] or https://HOST[:PORT]");
      }
    }
  }
}
