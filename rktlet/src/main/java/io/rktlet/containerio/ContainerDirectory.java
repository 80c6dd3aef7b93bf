package io.rktlet.containerio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-container host directory that rktlet bind-mounts into the app at {@code /.rktlet}:
 * the supervisor binary, the container's command, environment and settings, and the files the
 * supervisor writes (status, attach socket) or reads (control FIFO). Its path is kept short,
 * {@code <state dir>/c/<first 32 hex digits of the ID>}, because the attach socket's path must
 * fit the 108-byte limit of UNIX socket addresses.
 */
public final class ContainerDirectory {
  private static final Logger log = LoggerFactory.getLogger(ContainerDirectory.class);

  /** Where the directory appears inside the app. */
  public static final String MOUNT_POINT = "/.rktlet";

  /** The supervisor's path inside the app, the app's {@code --exec}. */
  public static final String SUPERVISOR = MOUNT_POINT + "/bin/supervisor";

  private static final int ID_CHARS = 32;

  private final Path dir;

  private ContainerDirectory(Path dir) {
    this.dir = dir;
  }

  /** Returns the directory of a container under {@code <stateDir>/c}. */
  public static ContainerDirectory of(Path stateDir, String containerId) {
    return new ContainerDirectory(stateDir.resolve("c").resolve(
        containerId.substring(0, Math.min(ID_CHARS, containerId.length()))));
  }

  public Path path() {
    return dir;
  }

  public Path statusFile() {
    return dir.resolve("status");
  }

  public Path controlFifo() {
    return dir.resolve("control");
  }

  public Path attachSocket() {
    return dir.resolve("attach.sock");
  }

  /** Mount point of the container's log directory, where the supervisor writes the log. */
  public Path logDirectory() {
    return dir.resolve("log");
  }

  /**
   * Creates the directory with the supervisor (a hard link to the installed binary, or a copy
   * across file systems), the command, the environment and the settings.
   */
  public void create(Path supervisorBinary, List<String> argv, Map<String, String> environment,
      List<String> specLines) throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    Files.createDirectories(logDirectory());
    linkSupervisor(supervisorBinary, dir.resolve("bin/supervisor"));
    Files.write(dir.resolve("argv"), nulSeparated(argv));
    Files.write(dir.resolve("env"), nulSeparated(environment.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .toList()));
    Files.writeString(dir.resolve("spec"), String.join("\n", specLines) + "\n",
        StandardCharsets.UTF_8);
  }

  /** Removes the status of an earlier start, so that no status means "not started yet". */
  public void clearStatus() throws IOException {
    Files.deleteIfExists(statusFile());
  }

  /** Deletes the directory; failures are logged, not raised. */
  public void delete() {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          log.warn("Cannot delete {}: {}", path, e.toString());
        }
      });
    } catch (IOException e) {
      log.warn("Cannot delete container directory {}: {}", dir, e.toString());
    }
  }

  private static void linkSupervisor(Path binary, Path link) throws IOException {
    try {
      Files.createLink(link, binary);
    } catch (FileAlreadyExistsException e) {
      return;
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(binary, link, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static byte[] nulSeparated(List<String> words) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String word : words) {
      bytes.writeBytes(word.getBytes(StandardCharsets.UTF_8));
      bytes.write(0);
    }
    return bytes.toByteArray();
  }
}
