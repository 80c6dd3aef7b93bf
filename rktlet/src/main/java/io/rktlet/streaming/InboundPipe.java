package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * An input stream fed by the event loop with a client's data and read by a session thread.
 * When more than {@value #HIGH_WATER_BYTES} bytes wait, the connection stops reading until the
 * reader has brought them below {@value #LOW_WATER_BYTES}.
 */
final class InboundPipe extends InputStream implements InboundSink {
  static final int HIGH_WATER_BYTES = 256 * 1024;
  static final int LOW_WATER_BYTES = 64 * 1024;

  private final ReadThrottle throttle;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  /** Read position in the first chunk. */
  private int offset;
  private int bufferedBytes;
  private boolean ended;
  private boolean aborted;
  private boolean closed;
  private boolean paused;

  InboundPipe(ReadThrottle throttle) {
    this.throttle = throttle;
  }

  @Override
  public synchronized void data(ByteBuf data) {
    if (closed || ended || aborted || !data.isReadable()) {
      return;
    }
    byte[] bytes = new byte[data.readableBytes()];
    data.getBytes(data.readerIndex(), bytes);
    chunks.addLast(bytes);
    bufferedBytes += bytes.length;
    notifyAll();
    if (bufferedBytes > HIGH_WATER_BYTES && !paused) {
      paused = true;
      throttle.pause();
    }
  }

  @Override
  public synchronized void end() {
    ended = true;
    notifyAll();
  }

  @Override
  public synchronized void abort() {
    aborted = true;
    notifyAll();
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] singleByte = new byte[1];
    int count = read(singleByte, 0, 1);
    return count < 0 ? -1 : singleByte[0] & 0xFF;
  }

  @Override
  public synchronized int read(byte[] buffer, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    awaitData();
    if (chunks.isEmpty()) {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (aborted && !ended) {
        throw new IOException("stream reset by the client");
      }
      return -1;
    }
    int count = 0;
    while (count < len && !chunks.isEmpty()) {
      byte[] chunk = chunks.peekFirst();
      int n = Math.min(len - count, chunk.length - offset);
      System.arraycopy(chunk, offset, buffer, off + count, n);
      count += n;
      offset += n;
      if (offset == chunk.length) {
        chunks.removeFirst();
        offset = 0;
      }
    }
    bufferedBytes -= count;
    resumeIfDrained();
    return count;
  }

  @Override
  public synchronized int available() {
    return bufferedBytes;
  }

  /** Drops what is buffered and ignores later data, so a stalled connection reads again. */
  @Override
  public synchronized void close() {
    closed = true;
    chunks.clear();
    bufferedBytes = 0;
    resumeIfDrained();
    notifyAll();
  }

  private void awaitData() throws InterruptedIOException {
    while (chunks.isEmpty() && !ended && !aborted && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for client data");
      }
    }
  }

  private void resumeIfDrained() {
    if (paused && bufferedBytes <= LOW_WATER_BYTES) {
      paused = false;
      throttle.resume();
    }
  }
}
