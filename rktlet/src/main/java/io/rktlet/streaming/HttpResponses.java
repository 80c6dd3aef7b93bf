package io.rktlet.streaming;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Plain-text HTTP error responses, and checks of the upgrade headers. */
final class HttpResponses {
  private HttpResponses() {}

  /** Sends the status with the message as body, then closes the connection. */
  static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
    sendError(ctx, status, message, headers -> { });
  }

  static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String message,
      Consumer<HttpHeaders> extraHeaders) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    headers.set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    extraHeaders.accept(headers);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** Returns whether the Connection header lists the {@code upgrade} option. */
  static boolean hasConnectionUpgrade(HttpRequest request) {
    for (String value : request.headers().getAll(HttpHeaderNames.CONNECTION)) {
      for (String option : value.split(",")) {
        if (option.strip().equalsIgnoreCase("upgrade")) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isWebSocketUpgrade(HttpRequest request) {
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
    return hasConnectionUpgrade(request) && "websocket".equalsIgnoreCase(upgrade);
  }
}
