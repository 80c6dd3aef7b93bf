package io.rktlet.metrics;

import io.rktlet.state.ContainerRecord;
import io.rktlet.state.SandboxRecord;
import io.rktlet.state.StateIndex;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Counts of pods and containers by state, read from the in-memory index at each scrape. */
public final class StateGauges {
  private StateGauges() {}

  /** Counts sandboxes per phase (creating, ready, notready, removing), zeros included. */
  public static Supplier<Map<String, Long>> pods(StateIndex index) {
    return () -> countByPhase(index.sandboxes(), SandboxRecord::phase,
        SandboxRecord.Phase.class);
  }

  /** Counts containers per phase (creating, created, running, exited, removing). */
  public static Supplier<Map<String, Long>> containers(StateIndex index) {
    return () -> countByPhase(index.containers(), ContainerRecord::phase,
        ContainerRecord.Phase.class);
  }

  static <T, E extends Enum<E>> Map<String, Long> countByPhase(
      Collection<T> records, Function<T, E> phaseOf, Class<E> phases) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (E phase : phases.getEnumConstants()) {
      counts.put(label(phase), 0L);
    }
    for (T record : records) {
      counts.merge(label(phaseOf.apply(record)), 1L, Long::sum);
    }
    return counts;
  }

  private static String label(Enum<?> phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }
}
