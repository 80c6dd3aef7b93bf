package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullCredentialsTest {
  private static final RegistryAuth AUTH = new RegistryAuth("alice", "pa\"ss\\word");

  @TempDir Path stateDir;

  private Path root() {
    return stateDir.resolve("pull-credentials");
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void writesDockerAuthFile() throws Exception {
    try (PullCredentials credentials = PullCredentials.write(root(), "quay.io", AUTH)) {
      Path file = credentials.directory().resolve("auth.d").resolve("registry.json");
      JsonNode json = new ObjectMapper().readTree(Files.readString(file));

      assertThat(json.get("rktKind").asText()).isEqualTo("dockerAuth");
      assertThat(json.get("rktVersion").asText()).isEqualTo("v1");
      assertThat(json.get("registries")).hasSize(1);
      assertThat(json.get("registries").get(0).asText()).isEqualTo("quay.io");
      assertThat(json.get("credentials").get("user").asText()).isEqualTo("alice");
      assertThat(json.get("credentials").get("password").asText()).isEqualTo("pa\"ss\\word");
    }
  }

  @Test
  void directoriesAreOwnerOnly() throws Exception {
    try (PullCredentials credentials = PullCredentials.write(root(), "quay.io", AUTH)) {
      assertThat(mode(root())).isEqualTo("rwx------");
      assertThat(mode(credentials.directory())).isEqualTo("rwx------");
      assertThat(mode(credentials.directory().resolve("auth.d"))).isEqualTo("rwx------");
    }
  }

  @Test
  void fileIsOwnerReadWriteOnly() throws Exception {
    try (PullCredentials credentials = PullCredentials.write(root(), "quay.io", AUTH)) {
      Path file = credentials.directory().resolve("auth.d").resolve("registry.json");

      assertThat(mode(file)).isEqualTo("rw-------");
    }
  }

  @Test
  void closeDeletesDirectory() throws Exception {
    Path directory;
    try (PullCredentials credentials = PullCredentials.write(root(), "quay.io", AUTH)) {
      directory = credentials.directory();
      assertThat(directory).exists();
    }

    assertThat(directory).doesNotExist();
    assertThat(root()).isEmptyDirectory();
  }

  @Test
  void eachPullGetsItsOwnDirectory() throws Exception {
    try (PullCredentials first = PullCredentials.write(root(), "quay.io", AUTH);
        PullCredentials second = PullCredentials.write(root(), "quay.io", AUTH)) {
      assertThat(first.directory()).isNotEqualTo(second.directory());
    }
  }

  @Test
  void deleteLeftoversRemovesOnlyPullDirectories() throws Exception {
    PullCredentials.write(root(), "quay.io", AUTH);
    PullCredentials.write(root(), "docker.io", AUTH);
    Path unrelated = Files.createFile(root().resolve("keep-me"));

    int deleted = PullCredentials.deleteLeftovers(root());

    assertThat(deleted).isEqualTo(2);
    assertThat(root()).isDirectoryContaining(path -> path.equals(unrelated));
    try (Stream<Path> entries = Files.list(root())) {
      assertThat(entries.count()).isEqualTo(1);
    }
  }

  @Test
  void deleteLeftoversAcceptsMissingRoot() throws Exception {
    assertThat(PullCredentials.deleteLeftovers(root())).isZero();
  }
}
