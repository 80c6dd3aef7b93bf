package io.rktlet.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads resize messages, {@code {"Width":80,"Height":24}}, from a stream of concatenated JSON
 * objects and offers each size to the session's queue. An object may span several frames, and
 * one frame may hold several objects. Field names match case-insensitively, as Go's JSON
 * decoder matches them.
 */
final class ResizeDecoder implements InboundSink {
  private static final Logger log = LoggerFactory.getLogger(ResizeDecoder.class);
  /** A resize message is about 30 bytes; anything much longer is not one. */
  static final int MAX_MESSAGE_BYTES = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TerminalSizeQueue queue;
  private final String sessionName;
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean skippingOversized;

  /** @param sessionName names the session in log lines, for example "exec in container ID" */
  ResizeDecoder(TerminalSizeQueue queue, String sessionName) {
    this.queue = queue;
    this.sessionName = sessionName;
  }

  @Override
  public void data(ByteBuf data) {
    for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
      accept(data.getByte(i));
    }
  }

  @Override
  public void end() {
    queue.close();
  }

  @Override
  public void abort() {
    queue.close();
  }

  private void accept(byte b) {
    if (depth == 0 && b != '{') {
      return; // whitespace or newlines between objects
    }
    if (!skippingOversized) {
      message.write(b);
    }
    trackNesting(b);
    if (depth == 0) {
      if (!skippingOversized) {
        offer(message.toByteArray());
      }
      message.reset();
      skippingOversized = false;
    } else if (message.size() > MAX_MESSAGE_BYTES && !skippingOversized) {
      log.warn("Ignoring a resize message over {} bytes for {}", MAX_MESSAGE_BYTES, sessionName);
      message.reset();
      skippingOversized = true;
    }
  }

  private void trackNesting(byte b) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      }
    } else if (b == '"') {
      inString = true;
    } else if (b == '{') {
      depth++;
    } else if (b == '}') {
      depth--;
    }
  }

  private void offer(byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      Integer width = field(node, "width");
      Integer height = field(node, "height");
      if (width == null || height == null) {
        log.warn("Ignoring a resize message without Width and Height for {}", sessionName);
        return;
      }
      log.debug("Terminal of {} resized to {}x{}", sessionName, width, height);
      queue.offer(new TerminalSize(width, height));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("Ignoring an invalid resize message for {}: {}", sessionName, e.getMessage());
    }
  }

  private static Integer field(JsonNode node, String lowerCaseName) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (field.getKey().equalsIgnoreCase(lowerCaseName) && field.getValue().canConvertToInt()) {
        return field.getValue().intValue();
      }
    }
    return null;
  }
}
