package io.rktlet.streaming;

import io.netty.channel.Channel;

/**
 * Stops reading from a connection while any of its inbound pipes is full, and starts again when
 * all of them have drained. This is the backpressure for clients that ignore SPDY flow control
 * and for WebSocket, which has none.
 */
final class ReadThrottle {
  private final Channel channel;
  /** Pipes that are full. Confined to the event loop. */
  private int fullPipes;

  ReadThrottle(Channel channel) {
    this.channel = channel;
  }

  void pause() {
    runOnEventLoop(() -> {
      if (fullPipes++ == 0) {
        channel.config().setAutoRead(false);
      }
    });
  }

  void resume() {
    runOnEventLoop(() -> {
      if (fullPipes > 0 && --fullPipes == 0) {
        channel.config().setAutoRead(true);
      }
    });
  }

  private void runOnEventLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }
}
