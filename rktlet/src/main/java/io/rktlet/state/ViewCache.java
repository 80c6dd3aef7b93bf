package io.rktlet.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps the CRI message built from each record until the record is replaced, so List calls on
 * a busy node copy ready-made messages instead of rebuilding hundreds of them per call. A view
 * is reused only while its record is the very object the index contains, because records are
 * immutable.
 *
 * @param <R> the record type
 * @param <V> the message built from it
 */
public final class ViewCache<R, V> {
  private record Entry<R, V>(R record, V view) {}

  private final Map<String, Entry<R, V>> entries = new ConcurrentHashMap<>();
  private final Function<R, V> build;

  public ViewCache(Function<R, V> build) {
    this.build = build;
  }

  /** Returns the view of {@code record}, building it when the cached one is for another. */
  public V view(String id, R record) {
    Entry<R, V> entry = entries.get(id);
    if (entry != null && entry.record() == record) {
      return entry.view();
    }
    V view = build.apply(record);
    entries.put(id, new Entry<>(record, view));
    return view;
  }

  /** Drops views of records that no longer exist. */
  public void retainOnly(java.util.Set<String> ids) {
    entries.keySet().retainAll(ids);
  }
}
