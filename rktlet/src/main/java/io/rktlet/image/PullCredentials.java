package io.rktlet.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private rkt user-configuration directory that contains the credentials of one pull. The
 * directory (mode 0700) and the file {@code auth.d/registry.json} (mode 0600) are created with
 * those permissions, so no other user can read the password at any moment. {@link #close()}
 * deletes both.
 */
public final class PullCredentials implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PullCredentials.class);

  static final String DIRECTORY_PREFIX = "pull-";
  static final String FILE_NAME = "registry.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path directory;

  private PullCredentials(Path directory) {
    this.directory = directory;
  }

  /**
   * Creates a new directory under {@code root} with a rkt {@code dockerAuth} file that gives
   * {@code auth} for {@code registryHost}, the {@code HOST[:PORT]} that rkt connects to.
   */
  public static PullCredentials write(Path root, String registryHost, RegistryAuth auth)
      throws IOException {
    createRoot(root);
    Path directory = Files.createTempDirectory(root, DIRECTORY_PREFIX, OWNER_ONLY_DIRECTORY);
    PullCredentials credentials = new PullCredentials(directory);
    try {
      Path authDirectory = Files.createDirectory(directory.resolve("auth.d"), OWNER_ONLY_DIRECTORY);
      writeOwnerOnly(authDirectory.resolve(FILE_NAME), dockerAuth(registryHost, auth));
    } catch (IOException | RuntimeException e) {
      credentials.close();
      throw e;
    }
    return credentials;
  }

  /** Returns the directory to pass to rkt as {@code --user-config}. */
  public Path directory() {
    return directory;
  }

  /** Deletes the directory and the credentials in it; a failure is logged, not thrown. */
  @Override
  public void close() {
    try {
      deleteTree(directory);
    } catch (IOException e) {
      log.warn("Failed to delete pull credentials directory {}: {}", directory, e.toString());
    }
  }

  /**
   * Deletes credential directories that a crashed rktlet left under {@code root}, and returns
   * how many it deleted.
   */
  public static int deleteLeftovers(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, DIRECTORY_PREFIX + "*")) {
      for (Path entry : entries) {
        deleteTree(entry);
        deleted++;
      }
    }
    return deleted;
  }

  private static void createRoot(Path root) throws IOException {
    try {
      if (root.getParent() != null) {
        Files.createDirectories(root.getParent());
      }
      Files.createDirectory(root, OWNER_ONLY_DIRECTORY);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(root)) {
        throw e;
      }
    }
  }

  private static byte[] dockerAuth(String registryHost, RegistryAuth auth) throws IOException {
    Map<String, Object> credentials = new LinkedHashMap<>();
    credentials.put("user", auth.user());
    credentials.put("password", auth.password());
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("rktKind", "dockerAuth");
    file.put("rktVersion", "v1");
    file.put("registries", List.of(registryHost));
    file.put("credentials", credentials);
    return JSON.writeValueAsBytes(file);
  }

  private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (SeekableByteChannel channel = Files.newByteChannel(file, options, OWNER_ONLY_FILE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
