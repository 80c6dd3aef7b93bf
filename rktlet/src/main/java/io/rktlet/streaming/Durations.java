package io.rktlet.streaming;

import java.time.Duration;

/** Formats timeouts for log lines and messages. */
final class Durations {
  private Durations() {}

  /** Returns "300 ms" below one second, "30 s" below an hour and "4 h" otherwise. */
  static String format(Duration duration) {
    if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
      return duration.toMillis() + " ms";
    }
    if (duration.compareTo(Duration.ofHours(1)) < 0 || duration.toSeconds() % 3600 != 0) {
      return duration.toSeconds() + " s";
    }
    return duration.toHours() + " h";
  }
}
