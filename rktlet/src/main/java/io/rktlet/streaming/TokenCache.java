package io.rktlet.streaming;

import io.rktlet.errors.CriException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Single-use tokens for streaming URLs. Each token is 32 random bytes in URL-safe base64, is
 * valid for a fixed time after it was issued, and is removed when a client presents it.
 */
final class TokenCache<T> {
  static final int TOKEN_BYTES = 32;

  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final SecureRandom random;
  private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
  /** Entries in insertion order, which is also expiry order because all share one TTL. */
  private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>();

  private record Entry<T>(T value, Instant expiry) {}

  TokenCache(Clock clock, Duration ttl, int maxEntries, SecureRandom random) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.random = random;
  }

  /** Stores the value under a new token and returns the token. */
  synchronized String insert(T value) {
    Instant now = clock.instant();
    removeExpired(now);
    if (entries.size() >= maxEntries) {
      throw CriException.unavailable("too many streaming URLs issued and not used yet (maximum "
          + maxEntries + "); retry after " + Durations.format(ttl) + ", when unused ones expire",
          null);
    }
    String token;
    do {
      byte[] bytes = new byte[TOKEN_BYTES];
      random.nextBytes(bytes);
      token = encoder.encodeToString(bytes);
    } while (entries.containsKey(token));
    entries.put(token, new Entry<>(value, now.plus(ttl)));
    return token;
  }

  /** Removes the token and returns its value, or empty when it is unknown, used or expired. */
  synchronized Optional<T> consume(String token) {
    Entry<T> entry = entries.remove(token);
    if (entry == null || !clock.instant().isBefore(entry.expiry())) {
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  synchronized int size() {
    return entries.size();
  }

  private void removeExpired(Instant now) {
    Iterator<Map.Entry<String, Entry<T>>> iterator = entries.entrySet().iterator();
    while (iterator.hasNext()) {
      if (now.isBefore(iterator.next().getValue().expiry())) {
        return;
      }
      iterator.remove();
    }
  }
}
