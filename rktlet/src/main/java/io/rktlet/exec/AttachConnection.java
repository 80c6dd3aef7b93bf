package io.rktlet.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A client of the supervisor's attach socket. Frames in both directions are one byte of
 * stream, four bytes of big-endian length, then the payload: stream 1 and 2 carry the
 * container's stdout and stderr, 0 carries stdin, 3 a terminal size, 4 closes stdin.
 */
final class AttachConnection implements AutoCloseable {
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int RESIZE = 3;
  static final int CLOSE_STDIN = 4;

  private final SocketChannel channel;
  private final InputStream in;

  private AttachConnection(SocketChannel channel) {
    this.channel = channel;
    this.in = Channels.newInputStream(channel);
  }

  static AttachConnection open(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot attach through " + socket + ": " + e.getMessage(), e);
    }
    return new AttachConnection(channel);
  }

  /** Sends a frame; frames from several threads do not interleave. */
  synchronized void send(int stream, byte[] payload, int length) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(5 + length);
    frame.put((byte) stream).putInt(length).put(payload, 0, length).flip();
    while (frame.hasRemaining()) {
      channel.write(frame);
    }
  }

  void sendResize(int columns, int rows) throws IOException {
    byte[] size = (columns + " " + rows).getBytes(StandardCharsets.US_ASCII);
    send(RESIZE, size, size.length);
  }

  /**
   * Copies output frames to {@code stdout} and {@code stderr} until the supervisor closes the
   * socket (the container ended).
   *
   * @param stderr destination of stream 2, or null to drop it (TTY containers have none)
   */
  void copyOutput(OutputStream stdout, OutputStream stderr) throws IOException {
    byte[] header = new byte[5];
    while (readFully(header)) {
      int stream = header[0];
      int length = ByteBuffer.wrap(header, 1, 4).getInt();
      byte[] payload = new byte[length];
      if (!readFully(payload)) {
        return;
      }
      OutputStream target = stream == STDOUT ? stdout : stream == STDERR ? stderr : null;
      if (target != null) {
        target.write(payload);
        target.flush();
      }
    }
  }

  private boolean readFully(byte[] buffer) throws IOException {
    int offset = 0;
    while (offset < buffer.length) {
      int read = in.read(buffer, offset, buffer.length - offset);
      if (read < 0) {
        return false;
      }
      offset += read;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
