package io.rktlet.streaming;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The terminal sizes a client sent during one session, oldest first. The streaming server offers
 * sizes and closes the queue when the session ends; the runtime takes them and applies each one.
 *
 * <p>The queue keeps at most {@value #CAPACITY} sizes. When a runtime falls behind, the oldest
 * sizes are dropped, because only the latest size matters for a terminal.
 */
public final class TerminalSizeQueue {
  static final int CAPACITY = 16;

  private final ArrayDeque<TerminalSize> sizes = new ArrayDeque<>();
  private boolean closed;

  /** Adds a size, dropping the oldest one when full; returns false once the queue is closed. */
  public synchronized boolean offer(TerminalSize size) {
    if (closed) {
      return false;
    }
    if (sizes.size() == CAPACITY) {
      sizes.removeFirst();
    }
    sizes.addLast(size);
    notifyAll();
    return true;
  }

  /** Waits for the next size; returns null once the queue is closed and empty. */
  public synchronized TerminalSize take() throws InterruptedException {
    while (sizes.isEmpty() && !closed) {
      wait();
    }
    return sizes.pollFirst();
  }

  /** Waits up to {@code timeout} for the next size; returns null on timeout or when closed. */
  public synchronized TerminalSize poll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sizes.isEmpty() && !closed) {
      long remainingNanos = deadline - System.nanoTime();
      if (remainingNanos <= 0) {
        return null;
      }
      wait(Math.max(1, remainingNanos / 1_000_000));
    }
    return sizes.pollFirst();
  }

  /** Ends the queue: waiting takers return what is left, then null. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  public synchronized boolean isClosed() {
    return closed;
  }
}
