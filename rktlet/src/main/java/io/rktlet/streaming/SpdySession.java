package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a SPDY/3.1 session on top of Netty's frame codec. It accepts the streams
 * that the client creates, sends their SYN_REPLY, passes their data on and replies to pings.
 *
 * <p>Netty's {@code SpdySessionHandler} is not used because it enforces SPDY flow control, and
 * Go's SPDY library (github.com/moby/spdystream, which crictl and the kubelet use) never sends
 * WINDOW_UPDATE. Output would stall after the initial 64 KiB window. This session ignores the
 * client's windows and limits writes by the connection's writability instead. It still sends
 * WINDOW_UPDATE for every data frame it receives, so that clients which honour flow control
 * keep sending. The backpressure on input is {@link ReadThrottle}.
 */
final class SpdySession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SpdySession.class);
  /**
   * Bound on the open streams of one connection. Port forwarding takes two streams per
   * forwarded connection, so this allows 512 of them.
   */
  static final int MAX_OPEN_STREAMS = 1024;
  private static final String STREAM_TYPE_HEADER = "streamtype";

  /** Receives the streams of one session. Called on the event loop. */
  interface Listener {
    /**
     * Decides on a new stream before the server replies to it, and may set its sink; returns
     * false to reject it with RST_STREAM. Frames that other threads write to the stream later
     * are queued behind the SYN_REPLY, because this call runs on the event loop.
     */
    boolean streamOpened(SpdyStream stream);

    /** The connection closed or the client sent GOAWAY. */
    void sessionClosed();
  }

  private final Listener listener;
  /** Open streams by ID. Confined to the event loop. */
  private final Map<Integer, SpdyStream> streams = new HashMap<>();
  private Channel channel;
  private boolean closed;

  SpdySession(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof SpdySynStreamFrame synStream) {
        onSynStream(ctx, synStream);
      } else if (msg instanceof SpdyDataFrame data) {
        onData(ctx, data);
      } else if (msg instanceof SpdyRstStreamFrame rst) {
        SpdyStream stream = streams.remove(rst.streamId());
        if (stream != null) {
          stream.remoteReset();
        }
      } else if (msg instanceof SpdyPingFrame ping) {
        // Client pings have odd IDs. An even ID would be the reply to a server ping, and this
        // server sends none.
        if ((ping.id() & 1) == 1) {
          ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
        }
      } else if (msg instanceof SpdyGoAwayFrame) {
        log.debug("Client at {} sent GOAWAY; closing the connection", channel.remoteAddress());
        ctx.close();
      }
      // SETTINGS, WINDOW_UPDATE and HEADERS frames change nothing here.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onSynStream(ChannelHandlerContext ctx, SpdySynStreamFrame frame) {
    int id = frame.streamId();
    // Streams that the client creates have odd IDs. Go clients pick IDs and write frames under
    // separate locks, so IDs may arrive slightly out of order and only reuse is rejected.
    if ((id & 1) == 0 || streams.containsKey(id)) {
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    if (streams.size() >= MAX_OPEN_STREAMS) {
      log.warn("Refusing stream {} from {}: {} streams are open already", id,
          channel.remoteAddress(), streams.size());
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
      return;
    }
    SpdyStream stream = new SpdyStream(this, channel, id, headersOf(frame));
    if (!listener.streamOpened(stream)) {
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
      return;
    }
    streams.put(id, stream);
    ctx.writeAndFlush(replyTo(stream));
    if (frame.isLast()) {
      stream.remoteFinished();
    }
  }

  /**
   * Builds the SYN_REPLY. A reply with an empty header block leaves Go's SPDY client (crictl,
   * the kubelet) waiting until its 30 s timeout, so the reply always echoes the stream's type.
   */
  private static DefaultSpdySynReplyFrame replyTo(SpdyStream stream) {
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(stream.id());
    String streamType = stream.header(STREAM_TYPE_HEADER);
    reply.headers().set(STREAM_TYPE_HEADER, streamType == null ? "unknown" : streamType);
    return reply;
  }

  private void onData(ChannelHandlerContext ctx, SpdyDataFrame frame) {
    SpdyStream stream = streams.get(frame.streamId());
    if (stream == null) {
      ctx.writeAndFlush(
          new DefaultSpdyRstStreamFrame(frame.streamId(), SpdyStreamStatus.INVALID_STREAM));
      return;
    }
    ByteBuf content = frame.content();
    int length = content.readableBytes();
    stream.receive(content);
    if (length > 0) {
      // Stream 0 is the session-wide window that SPDY/3.1 added.
      ctx.write(new DefaultSpdyWindowUpdateFrame(stream.id(), length));
      ctx.writeAndFlush(new DefaultSpdyWindowUpdateFrame(0, length));
    }
    if (frame.isLast()) {
      stream.remoteFinished();
      forgetIfClosed(stream);
    }
  }

  /** Drops a stream from the session once both sides have closed it. Any thread. */
  void forgetWhenClosed(SpdyStream stream) {
    if (channel.eventLoop().inEventLoop()) {
      forgetIfClosed(stream);
    } else {
      channel.eventLoop().execute(() -> forgetIfClosed(stream));
    }
  }

  private void forgetIfClosed(SpdyStream stream) {
    if (stream.isLocalClosed() && stream.isRemoteClosed()) {
      streams.remove(stream.id(), stream);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeSession();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("Closing SPDY connection from {} after an error: {}", channel.remoteAddress(),
        cause.toString());
    ctx.close();
  }

  private void closeSession() {
    if (closed) {
      return;
    }
    closed = true;
    for (SpdyStream stream : new ArrayList<>(streams.values())) {
      stream.remoteReset();
    }
    streams.clear();
    listener.sessionClosed();
  }

  private static Map<String, String> headersOf(SpdySynStreamFrame frame) {
    Map<String, String> headers = new HashMap<>();
    frame.headers().forEach(header -> headers.putIfAbsent(
        header.getKey().toString().toLowerCase(Locale.ROOT), header.getValue().toString()));
    return headers;
  }
}
