package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Turns a WebSocket connection into a byte stream for the SPDY codec above it. In the
 * {@code SPDY/3.1+portforward.k8s.io} subprotocol the binary messages carry the SPDY session's
 * bytes, split anywhere.
 */
final class WebSocketTunnelCodec extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
    out.add(new BinaryWebSocketFrame(bytes.retain()));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
      out.add(frame.content().retain());
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      ctx.close();
    } else if (!(frame instanceof PongWebSocketFrame)) {
      throw new IllegalStateException(
          "text message in a SPDY tunnel; the tunnel carries binary messages only");
    }
  }
}
