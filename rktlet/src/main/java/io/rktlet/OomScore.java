package io.rktlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** rktlet's own oom_score_adj, below which it cannot place apps without CAP_SYS_RESOURCE. */
final class OomScore {
  private OomScore() {}

  static long ownValue() {
    try {
      return Long.parseLong(Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
    } catch (IOException | NumberFormatException e) {
      return -1000;
    }
  }
}
