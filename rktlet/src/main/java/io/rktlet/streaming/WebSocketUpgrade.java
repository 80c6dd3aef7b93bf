package io.rktlet.streaming;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches a connection from HTTP/1.1 to WebSocket. The handshake is done here rather than by
 * Netty's {@code WebSocketServerProtocolHandler}, which matches the path exactly and would pass
 * requests with a query string on without upgrading them.
 */
final class WebSocketUpgrade {
  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
  /** Largest message accepted from a client; clients send at most 32 KiB of data per message. */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private WebSocketUpgrade() {}

  /** The handlers that follow the WebSocket codec, and how to start them. */
  private record Session(List<ChannelHandler> handlers, Runnable start) {}

  static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, PendingStream pending,
      QueryStringDecoder uri, StreamingContext context) {
    List<String> offered = StreamProtocols.parseList(
        request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
    List<String> supported = pending.kind() == StreamKind.PORT_FORWARD
        ? StreamProtocols.WEBSOCKET_PORT_FORWARD : StreamProtocols.WEBSOCKET_REMOTE_COMMAND;
    String protocol = offered.isEmpty() ? "" : StreamProtocols.negotiate(offered, supported)
        .orElse(null);
    if (protocol == null) {
      HttpResponses.sendError(ctx, HttpResponseStatus.FORBIDDEN, "unable to upgrade: requested"
          + " subprotocols " + offered + " are not supported; the server supports "
          + supported.stream().filter(name -> !name.isEmpty()).toList());
      return;
    }
    Session session;
    try {
      session = newSession(ctx.channel(), pending, protocol, uri, context);
    } catch (IllegalArgumentException e) {
      HttpResponses.sendError(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage());
      return;
    }
    String location = (context.options().tlsEnabled() ? "wss://" : "ws://")
        + request.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path();
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location,
        protocol.isEmpty() ? null : protocol, false, MAX_MESSAGE_BYTES).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    handshake(ctx, request, handshaker, session);
  }

  private static void handshake(ChannelHandlerContext ctx, FullHttpRequest request,
      WebSocketServerHandshaker handshaker, Session session) {
    ChannelFuture handshake;
    try {
      handshake = handshaker.handshake(ctx.channel(), request);
    } catch (WebSocketHandshakeException e) {
      HttpResponses.sendError(ctx, HttpResponseStatus.BAD_REQUEST,
          "invalid WebSocket handshake: " + e.getMessage());
      return;
    }
    // Installed before the handshake completes, so that no message can reach the router.
    ChannelPipeline pipeline = ctx.pipeline();
    for (ChannelHandler handler : session.handlers()) {
      pipeline.addLast(handler);
    }
    pipeline.remove(ctx.handler());
    handshake.addListener(done -> {
      if (done.isSuccess()) {
        session.start().run();
      } else {
        log.warn("WebSocket handshake with {} failed: {}", ctx.channel().remoteAddress(),
            done.cause().toString());
        ctx.channel().close();
      }
    });
  }

  private static Session newSession(Channel channel, PendingStream pending, String protocol,
      QueryStringDecoder uri, StreamingContext context) {
    if (pending instanceof CommandRequest command) {
      CommandRequest flagged = QueryParameters.applyStreamFlags(command, uri.parameters());
      // A client that asks for no subprotocol gets the binary framing of version 1.
      String effective = protocol.isEmpty() ? StreamProtocols.V1 : protocol;
      RemoteCommandWebSocketHandler handler =
          new RemoteCommandWebSocketHandler(context, flagged, effective, channel);
      return new Session(List.of(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES), handler),
          handler::start);
    }
    PortForwardTarget target = (PortForwardTarget) pending;
    if (protocol.equals(StreamProtocols.SPDY_TUNNEL_PORT_FORWARD)) {
      PortForwardSpdyHandler handler = new PortForwardSpdyHandler(context,
          target.podSandboxId(), protocol + "/WebSocket", channel);
      return new Session(List.of(new WebSocketTunnelCodec(),
          new SpdyFrameCodec(SpdyVersion.SPDY_3_1), new SpdySession(handler)), handler::start);
    }
    List<Integer> ports = QueryParameters.ports(target, uri.parameters());
    String effective = protocol.isEmpty() ? StreamProtocols.V4 : protocol;
    PortForwardWebSocketHandler handler = new PortForwardWebSocketHandler(context,
        target.podSandboxId(), ports, effective, channel);
    return new Session(List.of(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES), handler),
        handler::start);
  }
}
