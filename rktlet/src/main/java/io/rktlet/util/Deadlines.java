package io.rktlet.util;

import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Derives process timeouts from the deadline of the gRPC call being served, if any. */
public final class Deadlines {
  private static final Duration MINIMUM = Duration.ofMillis(100);

  private Deadlines() {}

  /**
   * Returns the time left before the current call's deadline, capped at {@code fallback}; the
   * fallback alone when there is no call or no deadline. Never less than 100 ms, so a command
   * that is already late still gets a chance to report its own error.
   */
  public static Duration remainingOr(Duration fallback) {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return fallback;
    }
    Duration left = Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
    Duration capped = left.compareTo(fallback) < 0 ? left : fallback;
    return capped.compareTo(MINIMUM) < 0 ? MINIMUM : capped;
  }
}
