package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.cri.v1.AuthConfig;
import io.rktlet.errors.CriException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {
  private static final String SECRET = "s3cr3t-Passw0rd";

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void absentAuthGivesNoCredentials() {
    assertThat(RegistryAuth.from(null)).isEmpty();
    assertThat(RegistryAuth.from(AuthConfig.getDefaultInstance())).isEmpty();
  }

  @Test
  void serverAddressAloneGivesNoCredentials() {
    AuthConfig auth = AuthConfig.newBuilder().setServerAddress("quay.io").build();

    assertThat(RegistryAuth.from(auth)).isEmpty();
  }

  @Test
  void usernameAndPasswordAreTaken() {
    AuthConfig auth = AuthConfig.newBuilder().setUsername("alice").setPassword(SECRET).build();

    assertThat(RegistryAuth.from(auth)).contains(new RegistryAuth("alice", SECRET));
  }

  @Test
  void authFieldIsDecoded() {
    AuthConfig auth = AuthConfig.newBuilder().setAuth(base64("alice:" + SECRET)).build();

    assertThat(RegistryAuth.from(auth)).contains(new RegistryAuth("alice", SECRET));
  }

  @Test
  void passwordMayContainColons() {
    AuthConfig auth = AuthConfig.newBuilder().setAuth(base64("alice:a:b:c")).build();

    assertThat(RegistryAuth.from(auth)).contains(new RegistryAuth("alice", "a:b:c"));
  }

  @Test
  void usernameFieldsWinOverAuth() {
    AuthConfig auth = AuthConfig.newBuilder()
        .setUsername("alice").setPassword(SECRET).setAuth(base64("bob:other")).build();

    assertThat(RegistryAuth.from(auth)).contains(new RegistryAuth("alice", SECRET));
  }

  @Test
  void identityTokenIsRejected() {
    AuthConfig auth = AuthConfig.newBuilder().setIdentityToken(SECRET).build();

    assertInvalid(auth, "auth.identity_token");
  }

  @Test
  void registryTokenIsRejected() {
    AuthConfig auth = AuthConfig.newBuilder()
        .setUsername("alice").setPassword(SECRET).setRegistryToken(SECRET).build();

    assertInvalid(auth, "auth.registry_token");
  }

  @Test
  void usernameWithoutPasswordIsRejected() {
    assertInvalid(AuthConfig.newBuilder().setUsername("alice").build(), "auth.password");
  }

  @Test
  void passwordWithoutUsernameIsRejected() {
    assertInvalid(AuthConfig.newBuilder().setPassword(SECRET).build(), "auth.username");
  }

  @Test
  void authThatIsNotBase64IsRejected() {
    assertInvalid(AuthConfig.newBuilder().setAuth("not base64 " + SECRET).build(), "auth.auth");
  }

  @Test
  void authWithoutColonIsRejected() {
    assertInvalid(AuthConfig.newBuilder().setAuth(base64(SECRET)).build(), "auth.auth");
  }

  @Test
  void authWithEmptyPasswordIsRejected() {
    assertInvalid(AuthConfig.newBuilder().setAuth(base64("alice:")).build(), "auth.auth");
  }

  @Test
  void toStringHidesPassword() {
    assertThat(new RegistryAuth("alice", SECRET).toString())
        .contains("alice")
        .doesNotContain(SECRET);
  }

  private static void assertInvalid(AuthConfig auth, String field) {
    assertThatThrownBy(() -> RegistryAuth.from(auth))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining(field)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(base64(SECRET)));
  }
}
