package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResizeDecoderTest {
  private final TerminalSizeQueue queue = new TerminalSizeQueue();
  private final ResizeDecoder decoder = new ResizeDecoder(queue, "exec in container test");

  @Test
  void objectSplitAcrossFrames() throws Exception {
    feed("{\"Wid");
    feed("th\":80,\"Height\"");
    feed(":24}");

    assertThat(drain()).containsExactly(new TerminalSize(80, 24));
  }

  @Test
  void severalObjectsInOneFrame() throws Exception {
    feed("{\"Width\":80,\"Height\":24}\n{\"Width\":100,\"Height\":50}\n");

    assertThat(drain()).containsExactly(new TerminalSize(80, 24), new TerminalSize(100, 50));
  }

  @Test
  void fieldNamesMatchIgnoringCase() throws Exception {
    feed("{\"width\":1,\"HEIGHT\":2}");

    assertThat(drain()).containsExactly(new TerminalSize(1, 2));
  }

  @Test
  void bracesInsideStringsDoNotEndObject() throws Exception {
    feed("{\"note\":\"}{\\\"\",\"Width\":3,\"Height\":4}");

    assertThat(drain()).containsExactly(new TerminalSize(3, 4));
  }

  @Test
  void invalidMessagesAreSkipped() throws Exception {
    feed("{\"Width\":-1,\"Height\":2}{\"Height\":2}{not json}{\"Width\":5,\"Height\":6}");

    assertThat(drain()).containsExactly(new TerminalSize(5, 6));
  }

  @Test
  void oversizedMessageIsSkipped() throws Exception {
    feed("{\"padding\":\"" + "x".repeat(ResizeDecoder.MAX_MESSAGE_BYTES) + "\"}");
    feed("{\"Width\":7,\"Height\":8}");

    assertThat(drain()).containsExactly(new TerminalSize(7, 8));
  }

  @Test
  void endClosesQueue() throws Exception {
    decoder.end();

    assertThat(queue.isClosed()).isTrue();
    assertThat(queue.take()).isNull();
  }

  private void feed(String text) {
    ByteBuf data = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      decoder.data(data);
    } finally {
      data.release();
    }
  }

  private List<TerminalSize> drain() throws InterruptedException {
    List<TerminalSize> sizes = new ArrayList<>();
    TerminalSize size;
    while ((size = queue.poll(Duration.ZERO)) != null) {
      sizes.add(size);
    }
    return sizes;
  }
}
