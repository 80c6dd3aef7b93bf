package io.rktlet.util;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per sandbox or container ID, striped over a fixed set so memory stays bounded. Two
 * IDs may share a stripe, which only serialises them; it never lets two holders in at once.
 */
public final class KeyedLocks {
  private static final int STRIPES = 256;

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  public KeyedLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Runs {@code body} while holding the lock of {@code key}. */
  public <T> T withLock(String key, Supplier<T> body) {
    ReentrantLock lock = locks[Math.floorMod(key.hashCode(), STRIPES)];
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  public void withLock(String key, Runnable body) {
    withLock(key, () -> {
      body.run();
      return null;
    });
  }
}
