package io.rktlet.streaming;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Switches a connection from HTTP/1.1 to SPDY/3.1. The client sends {@code Connection:
 * Upgrade}, {@code Upgrade: SPDY/3.1} and the stream protocols it speaks in
 * {@code X-Stream-Protocol-Version}. The server replies 101 with the protocol it chose.
 */
final class SpdyUpgrade {
  static final String SPDY_31 = "SPDY/3.1";

  private SpdyUpgrade() {}

  /** The session handler for the SPDY frames, and how to start it. */
  private record Session(SpdySession.Listener listener, Runnable start) {}

  static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, PendingStream pending,
      StreamingContext context) {
    String upgradeHeader = request.headers().get(HttpHeaderNames.UPGRADE, "");
    if (!HttpResponses.hasConnectionUpgrade(request)
        || !upgradeHeader.toLowerCase(Locale.ROOT).contains(SPDY_31.toLowerCase(Locale.ROOT))) {
      HttpResponses.sendError(ctx, HttpResponseStatus.BAD_REQUEST, "unable to upgrade: missing"
          + " upgrade headers in request; send Connection: Upgrade and Upgrade: SPDY/3.1, or a"
          + " WebSocket upgrade");
      return;
    }
    Optional<String> protocol = negotiate(ctx, request, pending);
    if (protocol.isEmpty()) {
      return;
    }
    Session session = newSession(ctx.channel(), pending, protocol.get(), context);

    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    response.headers()
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, SPDY_31)
        .set(StreamProtocols.PROTOCOL_HEADER, protocol.get());
    // On the event loop the response is encoded before this call returns, so the HTTP codec
    // can go right after it. The client sends no SPDY frame before it has read the response.
    ctx.writeAndFlush(response);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addAfter(StreamRouter.HTTP_CODEC, "spdy-codec",
        new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    pipeline.addAfter("spdy-codec", "spdy-session", new SpdySession(session.listener()));
    pipeline.remove(ctx.handler());
    pipeline.remove(StreamRouter.HTTP_AGGREGATOR);
    pipeline.remove(StreamRouter.HTTP_CODEC);
    session.start().run();
  }

  private static Session newSession(Channel channel, PendingStream pending, String protocol,
      StreamingContext context) {
    if (pending instanceof CommandRequest command) {
      RemoteCommandSpdyHandler handler =
          new RemoteCommandSpdyHandler(context, command, protocol, channel);
      return new Session(handler, handler::start);
    }
    PortForwardTarget target = (PortForwardTarget) pending;
    PortForwardSpdyHandler handler = new PortForwardSpdyHandler(context,
        target.podSandboxId(), protocol + "/SPDY", channel);
    return new Session(handler, handler::start);
  }

  /**
   * Picks the first protocol in the client's list that the server supports. It replies 400 when
   * the client sent none and 403 when none matches, and then returns empty.
   */
  private static Optional<String> negotiate(ChannelHandlerContext ctx, FullHttpRequest request,
      PendingStream pending) {
    List<String> offered =
        StreamProtocols.parseList(request.headers().getAll(StreamProtocols.PROTOCOL_HEADER));
    List<String> supported = pending.kind() == StreamKind.PORT_FORWARD
        ? StreamProtocols.SPDY_PORT_FORWARD : StreamProtocols.SPDY_REMOTE_COMMAND;
    if (offered.isEmpty()) {
      HttpResponses.sendError(ctx, HttpResponseStatus.BAD_REQUEST, "unable to upgrade: "
          + StreamProtocols.PROTOCOL_HEADER + " is required; the server accepts " + supported);
      return Optional.empty();
    }
    Optional<String> protocol = StreamProtocols.negotiate(offered, supported);
    if (protocol.isEmpty()) {
      HttpResponses.sendError(ctx, HttpResponseStatus.FORBIDDEN,
          "unable to upgrade: unable to negotiate protocol: client supports " + offered
              + ", server accepts " + supported,
          headers -> headers.add(StreamProtocols.ACCEPTED_PROTOCOLS_HEADER, supported));
    }
    return protocol;
  }
}
