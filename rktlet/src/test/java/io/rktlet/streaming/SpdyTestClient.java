package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * A minimal SPDY/3.1 client over a plain or TLS socket, written from the SPDY/3.1 draft and the
 * Kubernetes streaming protocol: an HTTP/1.1 upgrade, then client-created streams. It behaves
 * like Go's SPDY client: it never sends WINDOW_UPDATE. Netty's frame codec only encodes and
 * decodes frames, so that header blocks get the SPDY zlib dictionary; the session logic is
 * this class's own. Public for the end-to-end tests, which use it against rktlet's jar.
 */
public final class SpdyTestClient implements Closeable {
  public static final Duration WAIT = Duration.ofSeconds(20);
  private static final int SYN_REPLY_TYPE = 2;

  /** The HTTP response to the upgrade request; header names in lower case. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }
  }

  /** What the client received on one stream. Guarded by the client's monitor. */
  private static final class StreamState {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    boolean replied;
    int replyHeaderBlockBytes = -1;
    boolean finished;
    SpdyStreamStatus resetStatus;
  }

  private final Closeable connection;
  private final InputStream in;
  private final OutputStream out;
  private final Response response;
  private final EmbeddedChannel encoder = new EmbeddedChannel(frameCodec());
  private final EmbeddedChannel decoder = new EmbeddedChannel(frameCodec());
  private final Map<Integer, StreamState> streams = new HashMap<>();
  private final Set<Integer> pingReplies = ConcurrentHashMap.newKeySet();
  /** Window increments the server granted, by stream ID; 0 is the whole session. */
  private final Map<Integer, Long> windowUpdateBytes = new ConcurrentHashMap<>();
  private int nextStreamId = 1;
  private boolean serverClosed;
  private boolean goAwayReceived;

  private SpdyTestClient(Closeable connection, InputStream in, OutputStream out,
      Response response) {
    this.connection = connection;
    this.in = in;
    this.out = out;
    this.response = response;
    if (response.status() == 101) {
      Thread reader = new Thread(this::readFrames, "spdy-test-reader");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Connects and sends the upgrade request, then reads frames if the server replies 101. */
  public static SpdyTestClient connect(String url, SSLContext tls, List<String> protocols)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Connection", "Upgrade");
    headers.put("Upgrade", "SPDY/3.1");
    if (!protocols.isEmpty()) {
      headers.put("X-Stream-Protocol-Version", String.join(", ", protocols));
    }
    return connect(url, tls, "POST", headers);
  }

  static SpdyTestClient connect(String url, SSLContext tls, String method,
      Map<String, String> headers) throws IOException {
    URI uri = URI.create(url);
    Socket socket = tls == null
        ? new Socket(uri.getHost(), uri.getPort())
        : tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
    socket.setSoTimeout((int) WAIT.toMillis() * 3);
    StringBuilder request = new StringBuilder()
        .append(method).append(' ').append(uri.getRawPath())
        .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort())
        .append("\r\nContent-Length: 0\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value)
        .append("\r\n"));
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    Response response = readResponse(in);
    return new SpdyTestClient(socket, in, socket.getOutputStream(), response);
  }

  /**
   * Connects with the WebSocket subprotocol {@code SPDY/3.1+portforward.k8s.io}, in which
   * binary messages carry the SPDY session's bytes.
   */
  public static SpdyTestClient overWebSocket(String url, SSLContext tls) throws IOException {
    WebSocketTunnel tunnel = WebSocketTunnel.connect(url, tls);
    Response response = new Response(101,
        Map.of("sec-websocket-protocol", List.of(tunnel.subprotocol())), "");
    return new SpdyTestClient(tunnel, tunnel.input(), tunnel.output(), response);
  }

  public Response response() {
    return response;
  }

  /** Creates a stream with the headers, given as name and value pairs, and returns its ID. */
  public synchronized int synStream(String... headerPairs) throws IOException {
    int id = nextStreamId;
    nextStreamId += 2;
    streams.put(id, new StreamState());
    DefaultSpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    for (int i = 0; i < headerPairs.length; i += 2) {
      // SPDY header names are lower case on the wire; Go's client lowers them as well.
      frame.headers().add(headerPairs[i].toLowerCase(Locale.ROOT), headerPairs[i + 1]);
    }
    write(frame);
    return id;
  }

  /** Creates a stream and waits for the server's reply. */
  public int openStream(String... headerPairs) throws IOException, InterruptedException {
    int id = synStream(headerPairs);
    if (!awaitReply(id)) {
      throw new IOException("server reset stream " + id + ": " + resetStatus(id));
    }
    return id;
  }

  /** Waits for SYN_REPLY or RST_STREAM; returns true for a reply. */
  public synchronized boolean awaitReply(int id) throws InterruptedException, IOException {
    StreamState stream = streams.get(id);
    awaitCondition(() -> stream.replied || stream.resetStatus != null || serverClosed,
        "reply to stream " + id);
    return stream.replied;
  }

  public void send(int id, byte[] data) throws IOException {
    write(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data)));
  }

  public void send(int id, String text) throws IOException {
    send(id, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Half-closes a stream: an empty data frame with FLAG_FIN. */
  public void finish(int id) throws IOException {
    DefaultSpdyDataFrame frame = new DefaultSpdyDataFrame(id);
    frame.setLast(true);
    write(frame);
  }

  public void reset(int id) throws IOException {
    write(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
  }

  void ping(int id) throws IOException {
    write(new DefaultSpdyPingFrame(id));
  }

  void goAway() throws IOException {
    write(new DefaultSpdyGoAwayFrame(nextStreamId - 2));
  }

  /** Waits until the server sent FLAG_FIN or reset the stream; returns all data received. */
  public synchronized byte[] readToEnd(int id) throws InterruptedException, IOException {
    StreamState stream = streams.get(id);
    awaitCondition(() -> stream.finished || stream.resetStatus != null || serverClosed,
        "end of stream " + id);
    return stream.data.toByteArray();
  }

  public String readTextToEnd(int id) throws InterruptedException, IOException {
    return new String(readToEnd(id), StandardCharsets.UTF_8);
  }

  /** Waits until the stream's data contains the text; returns all data so far. */
  public synchronized String readUntil(int id, String text)
      throws InterruptedException, IOException {
    StreamState stream = streams.get(id);
    awaitCondition(() -> stream.data.toString(StandardCharsets.UTF_8).contains(text),
        "\"" + text + "\" on stream " + id);
    return stream.data.toString(StandardCharsets.UTF_8);
  }

  public synchronized boolean isFinished(int id) {
    return streams.get(id).finished;
  }

  public synchronized SpdyStreamStatus resetStatus(int id) {
    return streams.get(id).resetStatus;
  }

  /** Returns the length of the header block in the stream's SYN_REPLY, as sent on the wire. */
  synchronized int replyHeaderBlockBytes(int id) {
    return streams.get(id).replyHeaderBlockBytes;
  }

  synchronized void awaitPingReply(int id) throws InterruptedException, IOException {
    awaitCondition(() -> pingReplies.contains(id), "reply to ping " + id);
  }

  long windowUpdateBytes(int streamId) {
    return windowUpdateBytes.getOrDefault(streamId, 0L);
  }

  /** Waits until the server closed the connection. */
  synchronized void awaitServerClose() throws InterruptedException, IOException {
    awaitCondition(() -> serverClosed, "server to close the connection");
  }

  synchronized boolean goAwayReceived() {
    return goAwayReceived;
  }

  @Override
  public void close() throws IOException {
    connection.close();
    encoder.finishAndReleaseAll();
  }

  private interface Condition {
    boolean holds();
  }

  private void awaitCondition(Condition condition, String what)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw new IOException("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
      }
      wait(remainingMillis);
    }
  }

  private synchronized void write(Object frame) throws IOException {
    encoder.writeOutbound(frame);
    ByteBuf bytes;
    while ((bytes = encoder.readOutbound()) != null) {
      try {
        bytes.readBytes(out, bytes.readableBytes());
      } finally {
        bytes.release();
      }
    }
    out.flush();
  }

  /** Splits the byte stream into frames by their 8-byte headers and decodes each one. */
  private void readFrames() {
    try {
      while (true) {
        byte[] header = in.readNBytes(8);
        if (header.length < 8) {
          break;
        }
        int length = (header[5] & 0xFF) << 16 | (header[6] & 0xFF) << 8 | header[7] & 0xFF;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
          break;
        }
        recordReplyLength(header, payload);
        decoder.writeInbound(Unpooled.wrappedBuffer(header, payload));
        Object frame;
        while ((frame = decoder.readInbound()) != null) {
          try {
            dispatch(frame);
          } finally {
            ReferenceCountUtil.release(frame);
          }
        }
      }
    } catch (IOException e) {
      // The socket closed; the waiters below see it.
    } finally {
      synchronized (this) {
        serverClosed = true;
        notifyAll();
      }
    }
  }

  private synchronized void recordReplyLength(byte[] header, byte[] payload) {
    boolean control = (header[0] & 0x80) != 0;
    int type = (header[2] & 0xFF) << 8 | header[3] & 0xFF;
    if (control && type == SYN_REPLY_TYPE && payload.length >= 4) {
      int id = (payload[0] & 0x7F) << 24 | (payload[1] & 0xFF) << 16
          | (payload[2] & 0xFF) << 8 | payload[3] & 0xFF;
      StreamState stream = streams.get(id);
      if (stream != null) {
        stream.replyHeaderBlockBytes = payload.length - 4;
      }
    }
  }

  private synchronized void dispatch(Object frame) {
    if (frame instanceof SpdySynReplyFrame reply) {
      stream(reply.streamId()).replied = true;
    } else if (frame instanceof SpdyDataFrame data) {
      StreamState stream = stream(data.streamId());
      byte[] bytes = new byte[data.content().readableBytes()];
      data.content().readBytes(bytes);
      stream.data.writeBytes(bytes);
      stream.finished |= data.isLast();
    } else if (frame instanceof SpdyRstStreamFrame rst) {
      stream(rst.streamId()).resetStatus = rst.status();
    } else if (frame instanceof SpdyPingFrame ping) {
      pingReplies.add(ping.id());
    } else if (frame instanceof SpdyWindowUpdateFrame update) {
      windowUpdateBytes.merge(update.streamId(), (long) update.deltaWindowSize(), Long::sum);
    } else if (frame instanceof SpdyGoAwayFrame) {
      goAwayReceived = true;
    }
    notifyAll();
  }

  private StreamState stream(int id) {
    return streams.computeIfAbsent(id, unknown -> new StreamState());
  }

  private static SpdyFrameCodec frameCodec() {
    return new SpdyFrameCodec(SpdyVersion.SPDY_3_1);
  }

  private static Response readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed before the response head ended: " + head);
      }
      head.write(b);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          name -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
    }
    String body = "";
    List<String> length = headers.get("content-length");
    if (status != 101 && length != null) {
      body = new String(in.readNBytes(Integer.parseInt(length.get(0))), StandardCharsets.UTF_8);
    }
    return new Response(status, headers, body);
  }
}
