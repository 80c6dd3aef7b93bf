package io.rktlet.image;

import io.rktlet.errors.CriException;
import java.util.regex.Pattern;

/**
 * A normalised image reference: registry host, repository, and either a tag or a digest.
 * Parsing follows Docker's reference grammar and the kubelet's normalisation, so {@code busybox}
 * becomes {@code docker.io/library/busybox:latest}.
 *
 * @param host the registry host as written in references, for example {@code docker.io} or
 *     {@code localhost:5000}
 * @param repository the repository path, for example {@code library/busybox}
 * @param tag the tag, or null for a digest reference
 * @param digest {@code sha256:} and 64 lowercase hex characters, or null for a tag reference
 */
public record ImageReference(String host, String repository, String tag, String digest) {

  /** Host of Docker Hub in references. */
  public static final String DOCKER_HUB = "docker.io";

  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String DEFAULT_TAG = "latest";
  private static final String OFFICIAL_NAMESPACE = "library/";
  private static final int MAX_NAME_LENGTH = 255;

  private static final Pattern DOMAIN = Pattern.compile(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
          + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

  /**
   * Parses and normalises {@code text}. A reference with both a tag and a digest keeps only the
   * digest, as containerd does, because the digest alone names the content.
   *
   * @param field the request field the text came from, named in the error
   * @throws CriException INVALID_ARGUMENT when the text is not a valid reference
   */
  public static ImageReference parse(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw invalid(field, "", "the reference is empty");
    }
    if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw invalid(field, text, "a reference must not contain whitespace or control characters");
    }
    if (text.startsWith("-")) {
      throw invalid(field, text, "a reference must not start with '-'");
    }
    String name = text;
    String digest = null;
    int at = text.indexOf('@');
    if (at >= 0) {
      name = text.substring(0, at);
      digest = text.substring(at + 1);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(field, text,
            "the digest must be sha256: followed by 64 lowercase hexadecimal characters");
      }
    }
    String tag = null;
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.substring(colon + 1);
      name = name.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(field, text, "the tag \"" + tag + "\" is invalid; a tag has at most 128 "
            + "letters, digits, '_', '.' and '-' and does not start with '.' or '-'");
      }
    }
    return normalise(name, digest != null ? null : tag, digest, text, field);
  }

  /** Returns true when {@code text} has the form of a CRI image ID, {@code sha256:<64 hex>}. */
  public static boolean isImageId(String text) {
    return text != null && DIGEST.matcher(text).matches();
  }

  private static ImageReference normalise(
      String name, String tag, String digest, String text, String field) {
    if (name.isEmpty()) {
      throw invalid(field, text, "the repository name is missing");
    }
    String host = DOCKER_HUB;
    String path = name;
    int slash = name.indexOf('/');
    if (slash >= 0 && isDomain(name.substring(0, slash))) {
      host = name.substring(0, slash);
      path = name.substring(slash + 1);
    }
    if (!DOMAIN.matcher(host).matches()) {
      throw invalid(field, text, "the registry host \"" + host + "\" is invalid");
    }
    if (host.equals(LEGACY_DOCKER_HUB)) {
      host = DOCKER_HUB;
    }
    validatePath(path, text, field);
    if (host.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      path = OFFICIAL_NAMESPACE + path;
    }
    if (host.length() + 1 + path.length() > MAX_NAME_LENGTH) {
      throw invalid(field, text, "the name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageReference(host, path, tag, digest);
  }

  /** Docker treats the first component as a host when it has a '.' or ':' or is localhost. */
  private static boolean isDomain(String component) {
    return component.contains(".") || component.contains(":") || component.equals("localhost");
  }

  private static void validatePath(String path, String text, String field) {
    if (HEX_64.matcher(path).matches()) {
      throw invalid(field, text, "a repository name cannot be 64 hexadecimal characters; "
          + "write an image ID as sha256:<hex>");
    }
    for (String component : path.split("/", -1)) {
      if (PATH_COMPONENT.matcher(component).matches()) {
        continue;
      }
      if (PATH_COMPONENT.matcher(component.toLowerCase(java.util.Locale.ROOT)).matches()) {
        throw invalid(field, text, "the repository name must be lowercase");
      }
      throw invalid(field, text, "the repository name \"" + path + "\" is invalid; each "
          + "'/'-separated component has lowercase letters and digits, joined by '.', '_', "
          + "'__' or '-'");
    }
  }

  private static CriException invalid(String field, String text, String reason) {
    return CriException.invalidArgument(
        "invalid image reference \"" + text + "\" in " + field + ": " + reason);
  }

  /** Returns true for a reference by digest, false for one by tag. */
  public boolean isDigest() {
    return digest != null;
  }

  /** Returns {@code host/repository}, for example {@code docker.io/library/busybox}. */
  public String name() {
    return host + "/" + repository;
  }

  /** Returns {@code host/repository@digest} for the given digest. */
  public String withDigest(String manifestDigest) {
    return name() + "@" + manifestDigest;
  }

  /** Returns the full normalised reference, {@code name:tag} or {@code name@digest}. */
  @Override
  public String toString() {
    return isDigest() ? withDigest(digest) : name() + ":" + tag;
  }
}
