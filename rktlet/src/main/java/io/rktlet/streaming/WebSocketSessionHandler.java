package io.rktlet.streaming;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-frame part of a WebSocket session. It replies to pings, ends the connection when
 * the client closes it, and passes data messages on to the protocol.
 */
abstract class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

  private final AtomicBoolean closeSent = new AtomicBoolean();

  /** Starts the session once the handshake response is written. Event loop. */
  abstract void start();

  /** Handles a text or binary message; the frame is released afterwards. Event loop. */
  abstract void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame);

  /** The connection closed. Event loop. */
  abstract void onClose();

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      // The client's close frame either starts the closing handshake or replies to ours.
      sendClose(ctx.channel()).addListener(ChannelFutureListener.CLOSE);
    } else if (!(frame instanceof PongWebSocketFrame)) {
      onMessage(ctx, frame);
    }
  }

  /** Sends the server's close frame with status 1000, once. Any thread. */
  ChannelFuture sendClose(Channel channel) {
    if (closeSent.getAndSet(true)) {
      return channel.newSucceededFuture();
    }
    return channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    onClose();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("Closing WebSocket connection from {} after an error: {}",
        ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
