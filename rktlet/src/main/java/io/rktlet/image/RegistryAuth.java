package io.rktlet.image;

import io.rktlet.cri.v1.AuthConfig;
import io.rktlet.errors.CriException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password for a registry, taken from {@code PullImageRequest.auth}. rkt 1.30.0
 * accepts nothing else for docker registries, and it needs both parts.
 */
public record RegistryAuth(String user, String password) {

  /**
   * Returns the credentials in {@code auth}, or empty when it carries none. The user name and
   * password fields win over {@code auth}, as in containerd. Error messages name the field and
   * never contain a secret.
   *
   * @throws CriException INVALID_ARGUMENT for tokens, which rkt cannot send, and for
   *     incomplete or malformed credentials
   */
  public static Optional<RegistryAuth> from(AuthConfig auth) {
    if (auth == null) {
      return Optional.empty();
    }
    rejectToken("auth.identity_token", auth.getIdentityToken());
    rejectToken("auth.registry_token", auth.getRegistryToken());
    if (!auth.getUsername().isEmpty() || !auth.getPassword().isEmpty()) {
      return Optional.of(complete(auth.getUsername(), auth.getPassword(),
          "auth.username is missing: rkt needs a user name together with the password",
          "auth.password is missing: rkt needs a password together with the user name"));
    }
    if (!auth.getAuth().isEmpty()) {
      return Optional.of(decode(auth.getAuth()));
    }
    return Optional.empty();
  }

  private static void rejectToken(String field, String value) {
    if (!value.isEmpty()) {
      throw CriException.invalidArgument(field + " is not supported: rkt can send only a user "
          + "name and password to a docker registry; pass auth.username and auth.password");
    }
  }

  private static RegistryAuth decode(String encoded) {
    String text;
    try {
      byte[] bytes = Base64.getDecoder().decode(encoded.strip());
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw CriException.invalidArgument(
          "auth.auth is invalid: expected base64 of \"user:password\"");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw CriException.invalidArgument(
          "auth.auth is invalid: the decoded value has no ':' between user and password");
    }
    return complete(text.substring(0, colon), text.substring(colon + 1),
        "auth.auth is invalid: the decoded user name is empty",
        "auth.auth is invalid: the decoded password is empty");
  }

  private static RegistryAuth complete(
      String user, String password, String noUserMessage, String noPasswordMessage) {
    if (user.isEmpty()) {
      throw CriException.invalidArgument(noUserMessage);
    }
    if (password.isEmpty()) {
      throw CriException.invalidArgument(noPasswordMessage);
    }
    return new RegistryAuth(user, password);
  }

  /** Returns the user name only, so the password never reaches a log line by accident. */
  @Override
  public String toString() {
    return "RegistryAuth[user=" + user + ", password=<redacted>]";
  }
}
