package io.rktlet.streaming;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * A byte stream through a WebSocket connection, as Kubernetes clients tunnel SPDY: every write
 * becomes one binary message, and received binary messages are read back to back. The JDK's
 * WebSocket client rejects the subprotocol name {@code SPDY/3.1+portforward.k8s.io} because
 * of its slash, so this class does the RFC 6455 handshake and framing itself.
 */
final class WebSocketTunnel implements Closeable {
  static final String SUBPROTOCOL = "SPDY/3.1+portforward.k8s.io";
  private static final int OPCODE_BINARY = 0x2;
  private static final int OPCODE_CLOSE = 0x8;
  private static final int OPCODE_PING = 0x9;

  private final Socket socket;
  private final InputStream socketIn;
  private final OutputStream socketOut;
  private final String subprotocol;
  private final SecureRandom random = new SecureRandom();

  private WebSocketTunnel(Socket socket, InputStream socketIn, String subprotocol)
      throws IOException {
    this.socket = socket;
    this.socketIn = socketIn;
    this.socketOut = socket.getOutputStream();
    this.subprotocol = subprotocol;
  }

  static WebSocketTunnel connect(String url, SSLContext tls) throws IOException {
    URI uri = URI.create(url);
    Socket socket = tls == null
        ? new Socket(uri.getHost(), uri.getPort())
        : tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
        + "Sec-WebSocket-Protocol: " + SUBPROTOCOL + "\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    if (!head.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("WebSocket upgrade failed: " + head);
    }
    String accepted = head.lines().filter(line -> line.toLowerCase().startsWith(
        "sec-websocket-protocol:")).map(line -> line.substring(line.indexOf(':') + 1).strip())
        .findFirst().orElse("");
    return new WebSocketTunnel(socket, in, accepted);
  }

  String subprotocol() {
    return subprotocol;
  }

  /** Returns the payloads of the server's binary messages, back to back. */
  InputStream input() {
    return new InputStream() {
      private byte[] current = new byte[0];
      private int offset;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (offset == current.length) {
          current = readMessage();
          offset = 0;
          if (current == null) {
            return -1;
          }
        }
        int count = Math.min(len, current.length - offset);
        System.arraycopy(current, offset, buffer, off, count);
        offset += count;
        return count;
      }
    };
  }

  /** Returns a stream that sends each write as one masked binary message. */
  OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int off, int len) throws IOException {
        writeFrame(OPCODE_BINARY, bytes, off, len);
      }
    };
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Reads frames until a binary payload arrives; returns null at a close frame or EOF. */
  private byte[] readMessage() throws IOException {
    while (true) {
      int first = socketIn.read();
      if (first < 0) {
        return null;
      }
      int second = readByte();
      long length = second & 0x7F;
      if (length == 126) {
        length = (long) readByte() << 8 | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = length << 8 | readByte();
        }
      }
      byte[] payload = socketIn.readNBytes((int) length);
      int opcode = first & 0x0F;
      if (opcode == OPCODE_CLOSE) {
        return null;
      }
      if (opcode == OPCODE_PING) {
        writeFrame(0xA, payload, 0, payload.length);
      } else if (payload.length > 0) {
        return payload;
      }
    }
  }

  private int readByte() throws IOException {
    int b = socketIn.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a WebSocket frame header");
    }
    return b;
  }

  /** Writes one final frame, masked as RFC 6455 requires of clients. */
  private synchronized void writeFrame(int opcode, byte[] bytes, int off, int len)
      throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(len + 14);
    frame.write(0x80 | opcode);
    if (len < 126) {
      frame.write(0x80 | len);
    } else if (len < 65536) {
      frame.write(0x80 | 126);
      frame.write(len >>> 8);
      frame.write(len);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) len >>> shift));
      }
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < len; i++) {
      frame.write(bytes[off + i] ^ mask[i % 4]);
    }
    socketOut.write(frame.toByteArray());
    socketOut.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the WebSocket handshake: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
