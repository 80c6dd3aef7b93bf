package io.rktlet.streaming;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket client for tests on the JDK's {@code java.net.http.WebSocket}, with the channel
 * framing of the Kubernetes {@code channel.k8s.io} subprotocols written from their description:
 * the first byte of each binary message is the channel number. Public for the end-to-end
 * tests, which use it against rktlet's jar.
 */
public final class WebSocketTestClient implements WebSocket.Listener {
  public static final Duration WAIT = Duration.ofSeconds(20);

  /** One complete message from the server. */
  public record Message(boolean text, byte[] bytes) {
    public int channel() {
      return text ? bytes[0] - '0' : bytes[0] & 0xFF;
    }

    public byte[] payload() {
      byte[] payload = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, payload, 0, payload.length);
      return payload;
    }

    public String textPayload() {
      return new String(payload(), StandardCharsets.UTF_8);
    }
  }

  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private WebSocket webSocket;

  private WebSocketTestClient() {}

  /** Connects to an http or https URL with the subprotocols in order of preference. */
  public static WebSocketTestClient connect(String url, SSLContext tls, String... subprotocols) {
    WebSocketTestClient client = new WebSocketTestClient();
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(WAIT);
    if (tls != null) {
      http.sslContext(tls);
    }
    WebSocket.Builder builder = http.build().newWebSocketBuilder().connectTimeout(WAIT);
    if (subprotocols.length > 0) {
      builder.subprotocols(subprotocols[0], List.of(subprotocols).subList(1,
          subprotocols.length).toArray(new String[0]));
    }
    URI uri = URI.create(url.replaceFirst("^http", "ws"));
    client.webSocket = builder.buildAsync(uri, client).orTimeout(WAIT.toSeconds(),
        TimeUnit.SECONDS).join();
    return client;
  }

  public String subprotocol() {
    return webSocket.getSubprotocol();
  }

  /** Sends a binary message: the channel byte, then the payload. */
  public void send(int channel, byte[] payload) {
    ByteBuffer message = ByteBuffer.allocate(payload.length + 1);
    message.put((byte) channel).put(payload).flip();
    webSocket.sendBinary(message, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public void send(int channel, String text) {
    send(channel, text.getBytes(StandardCharsets.UTF_8));
  }

  void sendText(String text) {
    webSocket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Returns the next message, failing after the wait. */
  public Message next() throws InterruptedException, TimeoutException {
    Message message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (message == null) {
      throw new TimeoutException("no message within " + WAIT.toSeconds() + " s");
    }
    return message;
  }

  /** Reads until the server closes; returns the concatenated payloads of each channel. */
  public Map<Integer, String> readChannelsUntilClose() throws Exception {
    Map<Integer, ByteArrayOutputStream> channels = new HashMap<>();
    for (Message message : readUntilClose()) {
      channels.computeIfAbsent(message.channel(), channel -> new ByteArrayOutputStream())
          .writeBytes(message.payload());
    }
    Map<Integer, String> texts = new HashMap<>();
    channels.forEach((channel, bytes) ->
        texts.put(channel, bytes.toString(StandardCharsets.UTF_8)));
    return texts;
  }

  /** Reads until the server closes; returns the messages not read before, in order. */
  public List<Message> readUntilClose() throws Exception {
    List<Message> received = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!closeStatus.isDone() || !messages.isEmpty()) {
      Message message = messages.poll(10, TimeUnit.MILLISECONDS);
      if (message != null) {
        received.add(message);
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("server did not close within " + WAIT.toSeconds() + " s");
      }
    }
    return received;
  }

  /** Waits for the server's close message and returns its status code. */
  public int awaitClose() {
    return closeStatus.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public void close() {
    webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(WAIT.toSeconds(),
        TimeUnit.SECONDS).exceptionally(error -> null).join();
  }

  @Override
  public void onOpen(WebSocket socket) {
    socket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    partial.writeBytes(bytes);
    if (last) {
      messages.add(new Message(false, partial.toByteArray()));
      partial.reset();
    }
    socket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    partial.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8));
    if (last) {
      messages.add(new Message(true, partial.toByteArray()));
      partial.reset();
    }
    socket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
    closeStatus.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket socket, Throwable error) {
    closeStatus.completeExceptionally(error);
  }

}
