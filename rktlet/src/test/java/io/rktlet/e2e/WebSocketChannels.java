package io.rktlet.e2e;

import io.rktlet.streaming.WebSocketTestClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Collects a WebSocket client's messages by channel as a test waits for them. */
final class WebSocketChannels {
  private final WebSocketTestClient client;
  private final Map<Integer, ByteArrayOutputStream> channels = new HashMap<>();

  WebSocketChannels(WebSocketTestClient client) {
    this.client = client;
  }

  /** Reads messages until the channel's text contains {@code expected}; returns that text. */
  String readUntil(int channel, String expected) throws Exception {
    while (!text(channel).contains(expected)) {
      add(client.next());
    }
    return text(channel);
  }

  /** Reads the remaining messages until the server closes the connection. */
  void readUntilClose() throws Exception {
    for (WebSocketTestClient.Message message : client.readUntilClose()) {
      add(message);
    }
  }

  /** Returns the payloads received on the channel so far, back to back. */
  byte[] bytes(int channel) {
    ByteArrayOutputStream bytes = channels.get(channel);
    return bytes == null ? new byte[0] : bytes.toByteArray();
  }

  /** Returns {@link #bytes} as UTF-8 text. */
  String text(int channel) {
    return new String(bytes(channel), StandardCharsets.UTF_8);
  }

  private void add(WebSocketTestClient.Message message) {
    channels.computeIfAbsent(message.channel(), number -> new ByteArrayOutputStream())
        .writeBytes(message.payload());
  }
}
