package io.rktlet.containerio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Installs the supervisor binary that rktlet's jar carries onto the host. */
public final class SupervisorBinary {
  private static final Logger log = LoggerFactory.getLogger(SupervisorBinary.class);

  /** Classpath resource built by the supervisor module. */
  static final String RESOURCE = "/io/rktlet/supervisor/supervisor-linux-amd64";

  private SupervisorBinary() {}

  /**
   * Writes the binary to {@code <stateDir>/bin/supervisor} (mode 0755) unless an identical
   * copy is there already, and returns its path.
   */
  public static Path install(Path stateDir) throws IOException {
    byte[] binary;
    try (InputStream in = SupervisorBinary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the supervisor binary " + RESOURCE + " is missing from rktlet's "
            + "jar; build it with mvn package");
      }
      binary = in.readAllBytes();
    }
    Path target = Files.createDirectories(stateDir.resolve("bin")).resolve("supervisor");
    if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), binary)) {
      return target;
    }
    // Write a new file and rename it, so a running container keeps its hard link intact.
    Path temporary = target.resolveSibling("supervisor.new");
    Files.write(temporary, binary);
    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    log.info("Installed the supervisor binary ({} bytes) at {}", binary.length, target);
    return target;
  }
}
