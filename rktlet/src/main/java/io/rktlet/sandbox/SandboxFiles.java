package io.rktlet.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** rktlet's per-sandbox directory: the pod UUID file and the pod process's output. */
public final class SandboxFiles {
  private static final Logger log = LoggerFactory.getLogger(SandboxFiles.class);

  private final Path root;

  public SandboxFiles(Path stateDir) {
    this.root = stateDir.resolve("sandboxes");
  }

  public Path dir(String sandboxId) {
    return root.resolve(sandboxId);
  }

  Path create(String sandboxId) throws IOException {
    return Files.createDirectories(dir(sandboxId));
  }

  /** File that {@code rkt app sandbox --uuid-file-save} writes. */
  public Path uuidFile(String sandboxId) {
    return dir(sandboxId).resolve("pod-uuid");
  }

  /** File that receives the pod process's stdout and stderr (the pod console). */
  public Path outputFile(String sandboxId) {
    return dir(sandboxId).resolve("pod-output.log");
  }

  /** Deletes the sandbox's directory; failures are logged, not raised. */
  public void delete(String sandboxId) {
    Path dir = dir(sandboxId);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          log.warn("Cannot delete {} of sandbox {}: {}", path, sandboxId, e.toString());
        }
      });
    } catch (IOException e) {
      log.warn("Cannot delete directory {} of sandbox {}: {}", dir, sandboxId, e.toString());
    }
  }
}
