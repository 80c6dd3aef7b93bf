package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** A client of the attach socket that speaks its framing: stream byte, 4-byte length, payload. */
final class AttachClient implements AutoCloseable {
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int RESIZE = 3;
  static final int CLOSE_STDIN = 4;

  private final SocketChannel channel;
  private final Selector selector;
  /** Bytes of a frame that has not fully arrived yet. */
  private final ByteArrayOutputStream incomplete = new ByteArrayOutputStream();
  private final Map<Integer, ByteArrayOutputStream> streams = new HashMap<>();
  private long receivedBytes;
  private boolean endOfStream;

  AttachClient(Path socket) {
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(int stream, String payload) {
    byte[] bytes = payload.getBytes(UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(5 + bytes.length);
    frame.put((byte) stream).putInt(bytes.length).put(bytes).flip();
    try {
      while (frame.hasRemaining()) {
        channel.write(frame);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the payload received so far on one stream, as text. */
  String stream(int stream) {
    return streams.getOrDefault(stream, new ByteArrayOutputStream()).toString(UTF_8);
  }

  /** Returns the bytes received so far, frame headers included. */
  long receivedBytes() {
    return receivedBytes;
  }

  boolean endOfStream() {
    return endOfStream;
  }

  /** Reads frames until the condition holds, the server closes, or the timeout passes. */
  boolean readUntil(Predicate<AttachClient> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteBuffer buffer = ByteBuffer.allocate(65536);
    try {
      while (!condition.test(this) && !endOfStream) {
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
          return false;
        }
        selector.select(leftMillis);
        selector.selectedKeys().clear();
        int count = channel.read(buffer.clear());
        if (count < 0) {
          endOfStream = true;
        } else {
          receivedBytes += count;
          incomplete.write(buffer.array(), 0, count);
          splitFrames();
        }
      }
    } catch (IOException e) {
      endOfStream = true; // a reset connection ends the stream as well
    }
    return condition.test(this);
  }

  private void splitFrames() {
    byte[] data = incomplete.toByteArray();
    int offset = 0;
    while (data.length - offset >= 5) {
      int length = ByteBuffer.wrap(data, offset + 1, 4).getInt();
      if (data.length - offset - 5 < length) {
        break;
      }
      streams.computeIfAbsent((int) data[offset], s -> new ByteArrayOutputStream())
          .write(data, offset + 5, length);
      offset += 5 + length;
    }
    incomplete.reset();
    incomplete.write(data, offset, data.length - offset);
  }

  @Override
  public void close() {
    try {
      selector.close();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
