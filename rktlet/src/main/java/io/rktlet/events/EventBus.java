package io.rktlet.events;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.rktlet.cri.v1.ContainerEventResponse;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers container events to every GetContainerEvents subscriber in publication order
 * without ever blocking the publisher: each subscriber has a bounded queue, drained as gRPC
 * flow control allows, and a subscriber whose queue overflows is disconnected.
 */
public final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong subscriberCounter = new AtomicLong();
  private final int queueCapacity;

  /** @param queueCapacity events a subscriber may fall behind by before it is cut off */
  public EventBus(int queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  /** Registers a GetContainerEvents stream; it receives events published from now on. */
  public void subscribe(ServerCallStreamObserver<ContainerEventResponse> stream) {
    Subscriber subscriber =
        new Subscriber(subscriberCounter.incrementAndGet(), stream, queueCapacity);
    stream.setOnCancelHandler(() -> {
      subscribers.remove(subscriber);
      log.info("Event subscriber {} went away", subscriber.number);
    });
    stream.setOnReadyHandler(subscriber::drain);
    subscribers.add(subscriber);
    log.info("Event subscriber {} connected ({} now)", subscriber.number, subscribers.size());
  }

  /** Queues the event for every subscriber; never blocks. */
  public synchronized void publish(ContainerEventResponse event) {
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.queue.offer(event)) {
        subscribers.remove(subscriber);
        subscriber.cutOff();
        continue;
      }
      subscriber.drain();
    }
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** Closes every stream, for shutdown. */
  public void closeAll() {
    for (Subscriber subscriber : subscribers) {
      subscriber.close(Status.UNAVAILABLE.withDescription("rktlet is shutting down"));
    }
    subscribers.clear();
  }

  private static final class Subscriber {
    private final long number;
    private final ServerCallStreamObserver<ContainerEventResponse> stream;
    private final BlockingQueue<ContainerEventResponse> queue;
    private final AtomicBoolean closed = new AtomicBoolean();

    Subscriber(long number, ServerCallStreamObserver<ContainerEventResponse> stream,
        int capacity) {
      this.number = number;
      this.stream = stream;
      this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Sends queued events while the stream accepts more; gRPC calls must not overlap. */
    synchronized void drain() {
      if (closed.get()) {
        return;
      }
      try {
        while (stream.isReady() && !queue.isEmpty()) {
          stream.onNext(queue.poll());
        }
      } catch (RuntimeException e) {
        // The stream was cancelled between the check and the send.
        closed.set(true);
        log.debug("Event subscriber {} stream failed: {}", number, e.toString());
      }
    }

    void cutOff() {
      int capacity = queue.size() + queue.remainingCapacity();
      log.warn("Disconnecting event subscriber {}: it fell {} events behind", number, capacity);
      close(Status.RESOURCE_EXHAUSTED.withDescription("event subscriber fell more than "
          + capacity + " events behind; subscribe again"));
    }

    synchronized void close(Status status) {
      if (closed.compareAndSet(false, true)) {
        try {
          stream.onError(status.asRuntimeException());
        } catch (RuntimeException e) {
          log.debug("Closing event subscriber {} failed: {}", number, e.toString());
        }
      }
    }
  }
}
