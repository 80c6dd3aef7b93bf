package io.rktlet.streaming;

import io.netty.channel.Channel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** State that the connection handlers of one server share. */
record StreamingContext(StreamingRuntime runtime, StreamingOptions options,
    ExecutorService sessionExecutor) {

  /**
   * Closes the connection after the grace period unless the client closed it first. A client
   * that closes first has read everything. Closing at once could drop output that a Go client
   * has received but not yet handed to its reader.
   */
  void closeAfterGrace(Channel channel) {
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, options.closeGracePeriod().toNanos(), TimeUnit.NANOSECONDS);
  }
}
