package io.rktlet.streaming;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Lets session threads wait while a connection's outbound buffer is above its high water mark,
 * so a slow client slows the command's output instead of filling memory. It stays in the
 * pipeline through the protocol upgrade.
 */
final class WritabilityWaiter extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<WritabilityWaiter> KEY =
      AttributeKey.valueOf(WritabilityWaiter.class, "waiter");
  /** Upper bound of one wait, in case a writability change and the check race. */
  private static final long RECHECK_MILLIS = 1000;

  private final Channel channel;

  private WritabilityWaiter(Channel channel) {
    this.channel = channel;
  }

  /** Creates the waiter for a new connection and registers it for {@link #of}. */
  static WritabilityWaiter install(Channel channel) {
    WritabilityWaiter waiter = new WritabilityWaiter(channel);
    channel.attr(KEY).set(waiter);
    return waiter;
  }

  static WritabilityWaiter of(Channel channel) {
    return channel.attr(KEY).get();
  }

  /** Blocks until the connection accepts more writes; fails once the connection is closed. */
  synchronized void awaitWritable() throws IOException {
    while (channel.isActive() && !channel.isWritable()) {
      try {
        wait(RECHECK_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the client to read");
      }
    }
    if (!channel.isActive()) {
      throw new IOException("connection closed by the client");
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    wakeWaiters();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    wakeWaiters();
    ctx.fireChannelInactive();
  }

  private synchronized void wakeWaiters() {
    notifyAll();
  }
}
