package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Function;

/**
 * An output stream that sends what a session thread writes as protocol frames: SPDY data frames
 * of one stream, or WebSocket messages of one channel. Writes block while the client reads
 * slower than the command writes.
 */
final class FrameOutputStream extends OutputStream {
  /** Largest payload per frame, so that one busy stream cannot hold the connection for long. */
  static final int MAX_FRAME_PAYLOAD = 32 * 1024;

  private final Channel channel;
  private final Function<ByteBuf, Object> frameFactory;
  private final Runnable onClose;
  private volatile boolean closed;

  /**
   * @param frameFactory wraps a payload in a frame and takes ownership of the buffer, or returns
   *     null without taking it when the client has closed the stream
   * @param onClose runs once, on the first {@link #close()}
   */
  FrameOutputStream(Channel channel, Function<ByteBuf, Object> frameFactory, Runnable onClose) {
    this.channel = channel;
    this.frameFactory = frameFactory;
    this.onClose = onClose;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (len > 0) {
      WritabilityWaiter.of(channel).awaitWritable();
      int chunk = Math.min(len, MAX_FRAME_PAYLOAD);
      ByteBuf payload = channel.alloc().buffer(chunk).writeBytes(bytes, off, chunk);
      Object frame = frameFactory.apply(payload);
      if (frame == null) {
        payload.release();
        throw new IOException("stream closed by the client");
      }
      channel.writeAndFlush(frame);
      off += chunk;
      len -= chunk;
    }
  }

  @Override
  public void close() {
    boolean first;
    synchronized (this) {
      first = !closed;
      closed = true;
    }
    if (first) {
      onClose.run();
    }
  }
}
