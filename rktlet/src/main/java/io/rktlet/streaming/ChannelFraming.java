package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The channel framing of the {@code channel.k8s.io} WebSocket subprotocols. In the binary
 * variants each message starts with one byte, the channel number. In the base64 variants each
 * message is text: the channel number as an ASCII digit, then the payload in base64.
 */
enum ChannelFraming {
  BINARY,
  BASE64;

  /** A message's channel and payload; the payload belongs to the caller, who releases it. */
  record Message(int channel, ByteBuf payload) {}

  static ChannelFraming forProtocol(String protocol) {
    return protocol.contains("base64") ? BASE64 : BINARY;
  }

  /** Builds the message for a channel; takes ownership of the payload. */
  WebSocketFrame frame(int channel, ByteBuf payload) {
    if (this == BINARY) {
      ByteBuf prefix = Unpooled.wrappedBuffer(new byte[] {(byte) channel});
      return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(prefix, payload));
    }
    try {
      byte[] bytes = new byte[payload.readableBytes()];
      payload.readBytes(bytes);
      char channelDigit = (char) ('0' + channel);
      return new TextWebSocketFrame(channelDigit + Base64.getEncoder().encodeToString(bytes));
    } finally {
      payload.release();
    }
  }

  /** Splits a message into channel and payload; returns null for an empty or invalid one. */
  Message decode(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (!content.isReadable()) {
      return null;
    }
    if (this == BINARY) {
      int channel = content.getUnsignedByte(content.readerIndex());
      return new Message(channel, content.retainedSlice(content.readerIndex() + 1,
          content.readableBytes() - 1));
    }
    String text = content.toString(StandardCharsets.US_ASCII);
    try {
      byte[] payload = Base64.getDecoder().decode(text.substring(1));
      return new Message(text.charAt(0) - '0', Unpooled.wrappedBuffer(payload));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
