package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SPDY stream that the client created. Its output side may be used from any thread; its
 * input side is driven by {@link SpdySession} on the event loop.
 */
final class SpdyStream {
  private final SpdySession session;
  private final Channel channel;
  private final int id;
  private final Map<String, String> headers;
  private final AtomicBoolean localClosed = new AtomicBoolean();
  private volatile boolean reset;
  /** Confined to the event loop, like the two fields below. */
  private InboundSink sink = InboundSink.DISCARD;
  private boolean remoteClosed;

  /** @param headers the SYN_STREAM headers, names in lower case */
  SpdyStream(SpdySession session, Channel channel, int id, Map<String, String> headers) {
    this.session = session;
    this.channel = channel;
    this.id = id;
    this.headers = Map.copyOf(headers);
  }

  int id() {
    return id;
  }

  /** Returns the header's value, or null; SPDY header names are lower case. */
  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** Sets where the client's data goes; call it from the stream listener. */
  void setSink(InboundSink newSink) {
    sink = newSink;
  }

  /** Returns a stream of data frames; closing it sends the final frame with FLAG_FIN. */
  FrameOutputStream output() {
    return new FrameOutputStream(channel,
        payload -> reset ? null : new DefaultSpdyDataFrame(id, payload), this::finish);
  }

  /** Sends bytes, then FLAG_FIN, unless this side is closed already. */
  ChannelFuture writeAndFinish(byte[] bytes) {
    if (!localClosed.compareAndSet(false, true)) {
      return channel.newSucceededFuture();
    }
    if (bytes.length > 0) {
      channel.write(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(bytes)));
    }
    DefaultSpdyDataFrame last = new DefaultSpdyDataFrame(id);
    last.setLast(true);
    ChannelFuture written = channel.writeAndFlush(last);
    session.forgetWhenClosed(this);
    return written;
  }

  /** Half-closes the stream: sends an empty data frame with FLAG_FIN, once. */
  ChannelFuture finish() {
    return writeAndFinish(new byte[0]);
  }

  /** Ends both directions at once with RST_STREAM, once. */
  void reset(SpdyStreamStatus status) {
    if (reset) {
      return;
    }
    reset = true;
    localClosed.set(true);
    channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, status));
    channel.eventLoop().execute(() -> {
      if (!remoteClosed) {
        remoteClosed = true;
        sink.abort();
      }
      session.forgetWhenClosed(this);
    });
  }

  boolean isLocalClosed() {
    return localClosed.get();
  }

  /** Passes the client's data to the sink. Event loop only. */
  void receive(ByteBuf data) {
    if (!remoteClosed) {
      sink.data(data);
    }
  }

  /** Ends the input because the client sent FLAG_FIN. Event loop only. */
  void remoteFinished() {
    if (!remoteClosed) {
      remoteClosed = true;
      sink.end();
    }
  }

  /** Closes both sides because the client reset the stream or left. Event loop only. */
  void remoteReset() {
    reset = true;
    localClosed.set(true);
    if (!remoteClosed) {
      remoteClosed = true;
      sink.abort();
    }
  }

  /** Event loop only. */
  boolean isRemoteClosed() {
    return remoteClosed;
  }
}
