package io.rktlet.runtime;

import io.rktlet.rkt.RktCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether rkt is usable, checked in the background so that the kubelet's frequent Status calls
 * read a cached answer instead of starting a process each time.
 */
public final class RktHealth {
  private static final Logger log = LoggerFactory.getLogger(RktHealth.class);

  /**
   * One check's outcome.
   *
   * @param reason CamelCase reason for a CRI runtime condition, empty when ready
   * @param version rkt's version when known, else empty
   */
  public record Snapshot(boolean ready, String reason, String message, String version) {
    static final Snapshot UNCHECKED =
        new Snapshot(false, "RktNotChecked", "rkt has not been checked yet", "");
  }

  private final RktCli rkt;
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot current = Snapshot.UNCHECKED;

  public RktHealth(RktCli rkt) {
    this.rkt = rkt;
  }

  public Snapshot current() {
    return current;
  }

  /** Registers a listener that is told about every change of readiness. */
  public void onChange(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  /** Runs the check now and returns its outcome; logs when readiness changes. */
  public Snapshot check() {
    Snapshot next = probe();
    Snapshot previous = current;
    current = next;
    if (previous.ready() != next.ready() || previous == Snapshot.UNCHECKED) {
      if (next.ready()) {
        log.info("rkt {} at {} is usable", next.version(), rkt.config().binary());
      } else {
        log.warn("rkt is not usable: {}", next.message());
      }
      listeners.forEach(listener -> listener.accept(next));
    }
    return next;
  }

  private Snapshot probe() {
    Path binary = rkt.config().binary();
    if (!Files.exists(binary)) {
      return new Snapshot(false, "RktBinaryNotFound",
          "rkt binary not found at " + binary + "; install rkt or set --rkt", "");
    }
    if (!Files.isExecutable(binary)) {
      return new Snapshot(false, "RktBinaryNotExecutable",
          "rkt binary at " + binary + " is not executable", "");
    }
    try {
      String version = rkt.version();
      return new Snapshot(true, "", "", version);
    } catch (RuntimeException e) {
      return new Snapshot(false, "RktUnusable",
          "rkt at " + binary + " is unusable: " + e.getMessage(), "");
    }
  }
}
