package io.rktlet.util;

import java.time.Instant;

/** Wall-clock time in Unix nanoseconds, injectable so tests need not sleep. */
@FunctionalInterface
public interface NanoClock {
  long nowNanos();

  NanoClock SYSTEM = () -> {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  };
}
