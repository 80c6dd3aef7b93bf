package io.rktlet.streaming;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: reads the HTTP request, redeems the URL's token and
 * hands the connection to the SPDY or WebSocket upgrade. Paths are {@code /exec/TOKEN},
 * {@code /attach/TOKEN} and {@code /portforward/TOKEN}; a query string and a trailing slash are
 * allowed, because proxies in front of the server may add them.
 */
final class StreamRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(StreamRouter.class);
  static final String HTTP_CODEC = "http-codec";
  static final String HTTP_AGGREGATOR = "http-aggregator";

  private final TokenCache<PendingStream> tokens;
  private final StreamingContext context;
  private ScheduledFuture<?> requestTimeout;

  StreamRouter(TokenCache<PendingStream> tokens, StreamingContext context) {
    this.tokens = tokens;
    this.context = context;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    long timeoutNanos = context.options().streamCreationTimeout().toNanos();
    requestTimeout = ctx.executor().schedule(() -> {
      log.debug("Closing connection from {}: no request within {}",
          ctx.channel().remoteAddress(),
          Durations.format(context.options().streamCreationTimeout()));
      ctx.close();
    }, timeoutNanos, TimeUnit.NANOSECONDS);
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    requestTimeout.cancel(false);
    if (!request.decoderResult().isSuccess()) {
      HttpResponses.sendError(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    List<String> segments =
        Arrays.stream(uri.path().split("/")).filter(segment -> !segment.isEmpty()).toList();
    StreamKind kind = segments.size() == 2 ? StreamKind.fromPathSegment(segments.get(0)) : null;
    if (kind == null) {
      HttpResponses.sendError(ctx, HttpResponseStatus.NOT_FOUND, "404 page not found");
      return;
    }
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
      HttpResponses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method " + request.method() + " not allowed; use GET or POST",
          headers -> headers.set(HttpHeaderNames.ALLOW, "GET, POST"));
      return;
    }
    Optional<PendingStream> pending =
        tokens.consume(segments.get(1)).filter(stream -> stream.kind() == kind);
    if (pending.isEmpty()) {
      log.info("Rejecting {} request from {}: unknown, used or expired token", kind.pathSegment(),
          ctx.channel().remoteAddress());
      HttpResponses.sendError(ctx, HttpResponseStatus.NOT_FOUND,
          "streaming URL not found, already used or expired; ask the runtime for a new one");
      return;
    }
    if (HttpResponses.isWebSocketUpgrade(request)) {
      WebSocketUpgrade.upgrade(ctx, request, pending.get(), uri, context);
    } else {
      SpdyUpgrade.upgrade(ctx, request, pending.get(), context);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("Closing connection from {} after an error: {}", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
