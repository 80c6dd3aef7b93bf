package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.rktlet.config.RegistryHost;
import io.rktlet.cri.v1.AuthConfig;
import io.rktlet.errors.CriException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ImageManagerCredentialsTest extends ImageManagerFixture {
  private static final String PASSWORD = "pa55-w0rd-do-not-log";
  private static final AuthConfig AUTH =
      AuthConfig.newBuilder().setUsername("alice").setPassword(PASSWORD).build();

  /** What a fetch saw in its --user-config directory while rkt ran. */
  private record SeenConfig(Path directory, String directoryMode, String fileMode, JsonNode file) {}

  private final List<SeenConfig> seen = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger rktletLogger = (Logger) LoggerFactory.getLogger("io.rktlet");
  private Level savedLevel;

  @BeforeEach
  void observeFetchesAndLogs() {
    rkt.onFetch(directory -> seen.add(directory == null ? null : inspect(directory)));
    savedLevel = rktletLogger.getLevel();
    rktletLogger.setLevel(Level.TRACE);
    logs.start();
    rktletLogger.addAppender(logs);
  }

  @AfterEach
  void stopCapturingLogs() {
    rktletLogger.detachAppender(logs);
    rktletLogger.setLevel(savedLevel);
  }

  private static SeenConfig inspect(Path directory) {
    try {
      Path file = directory.resolve("auth.d").resolve("registry.json");
      return new SeenConfig(directory,
          PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)),
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          new ObjectMapper().readTree(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void assertPasswordNowhere() {
    assertThat(rkt.calls()).allSatisfy(argv -> assertThat(String.join(" ", argv))
        .doesNotContain(PASSWORD)
        .doesNotContain("alice"));
    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
        .doesNotContain(PASSWORD));
  }

  private void assertNoCredentialsLeft() throws IOException {
    try (Stream<Path> entries = Files.list(credentialsRoot())) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void fetchSeesPrivateCredentials() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox", AUTH);

    assertThat(seen).hasSize(1);
    SeenConfig config = seen.get(0);
    assertThat(config.directoryMode()).isEqualTo("rwx------");
    assertThat(config.fileMode()).isEqualTo("rw-------");
    assertThat(config.file().get("registries").get(0).asText()).isEqualTo(LOCAL);
    assertThat(config.file().get("credentials").get("user").asText()).isEqualTo("alice");
    assertThat(config.file().get("credentials").get("password").asText()).isEqualTo(PASSWORD);
    assertThat(rkt.calls("fetch").get(0)).contains("--user-config=" + config.directory());
  }

  @Test
  void credentialsAreDeletedAfterPull() throws IOException {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox", AUTH);

    assertThat(seen.get(0).directory()).doesNotExist();
    assertNoCredentialsLeft();
  }

  @Test
  void passwordStaysOutOfArgvAndLogs() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox", AUTH);

    assertPasswordNowhere();
    assertThat(logs.list).isNotEmpty();
  }

  @Test
  void encodedAuthReachesRkt() {
    serveRecordedBusybox();
    String encoded = Base64.getEncoder()
        .encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    pull("127.0.0.1:5066/busybox", AuthConfig.newBuilder().setAuth(encoded).build());

    assertThat(seen.get(0).file().get("credentials").get("password").asText())
        .isEqualTo(PASSWORD);
  }

  @Test
  void eachEndpointGetsItsOwnHost() throws IOException {
    RegistryHost local = new RegistryHost(LOCAL, List.of(URI.create("http://127.0.0.1:5999")),
        true);
    manager = newManager(Map.of(LOCAL, local));
    rkt.fail("docker://127.0.0.1:5999/busybox:latest",
        RktTranscript.find("errors.jsonl", "fetch from a closed port"));
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox", AUTH);

    assertThat(seen).extracting(config -> config.file().get("registries").get(0).asText())
        .containsExactly("127.0.0.1:5999", LOCAL);
    assertThat(seen.get(0).directory()).isNotEqualTo(seen.get(1).directory());
    assertNoCredentialsLeft();
  }

  @Test
  void failedPullDeletesCredentials() throws IOException {
    rkt.fail(LATEST_URL, RktTranscript.find("errors.jsonl", "fetch of a nonexistent docker tag"));

    CriException failure =
        catchThrowableOfType(CriException.class, () -> pull("127.0.0.1:5066/busybox", AUTH));

    assertThat(failure.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure.getMessage()).doesNotContain(PASSWORD);
    assertNoCredentialsLeft();
    assertPasswordNowhere();
  }

  @Test
  void pullWithoutAuthPassesNoUserConfig() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox");

    assertThat(seen).containsExactly((SeenConfig) null);
  }

  @Test
  void identityTokenIsRejectedBeforeFetch() {
    AuthConfig token = AuthConfig.newBuilder().setIdentityToken(PASSWORD).build();

    CriException failure =
        catchThrowableOfType(CriException.class, () -> pull("127.0.0.1:5066/busybox", token));

    assertThat(failure.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure).hasMessageContaining("auth.identity_token");
    assertThat(failure.getMessage()).doesNotContain(PASSWORD);
    assertThat(rkt.calls()).isEmpty();
  }

  @Test
  void registryTokenIsRejectedBeforeFetch() {
    AuthConfig token = AuthConfig.newBuilder().setRegistryToken(PASSWORD).build();

    CriException failure =
        catchThrowableOfType(CriException.class, () -> pull("127.0.0.1:5066/busybox", token));

    assertThat(failure.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure).hasMessageContaining("auth.registry_token");
    assertThat(rkt.calls()).isEmpty();
  }
}
