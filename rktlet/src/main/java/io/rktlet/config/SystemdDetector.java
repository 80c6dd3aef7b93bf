package io.rktlet.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether systemd is the init system, the way sd_booted(3) does. */
public final class SystemdDetector {
  private SystemdDetector() {}

  public static boolean isSystemdInit() {
    return Files.isDirectory(Path.of("/run/systemd/system"));
  }
}
