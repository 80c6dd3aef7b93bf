package io.rktlet.streaming;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a connection that has carried no traffic in either direction for the idle timeout. */
final class IdleCloser extends IdleStateHandler {
  private static final Logger log = LoggerFactory.getLogger(IdleCloser.class);

  private final Duration idleTimeout;

  IdleCloser(Duration idleTimeout) {
    super(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    this.idleTimeout = idleTimeout;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
    log.info("Closing streaming connection from {}: no traffic for {}",
        ctx.channel().remoteAddress(), Durations.format(idleTimeout));
    ctx.close();
  }
}
