package io.rktlet.server;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Function;

/** Sends replies of unary and batched server-streaming calls. */
final class Replies {
  /** Items per message of the Stream* calls, small enough to stay far below 16 MiB. */
  static final int BATCH_SIZE = 500;

  private Replies() {}

  static <T> void unary(StreamObserver<T> reply, T response) {
    reply.onNext(response);
    reply.onCompleted();
  }

  /** Sends the items in batches; every item appears in exactly one batch. */
  static <I, T> void batches(StreamObserver<T> reply, List<I> items,
      Function<List<I>, T> toMessage) {
    for (int start = 0; start < items.size(); start += BATCH_SIZE) {
      reply.onNext(toMessage.apply(items.subList(start, Math.min(items.size(),
          start + BATCH_SIZE))));
    }
    reply.onCompleted();
  }
}
