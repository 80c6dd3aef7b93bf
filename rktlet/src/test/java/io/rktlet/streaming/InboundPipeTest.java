package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundPipeTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final InboundPipe pipe = new InboundPipe(new ReadThrottle(channel));

  @Test
  void readsDataThenEndOfStream() throws Exception {
    offer("hello ");
    offer("world");
    pipe.end();

    assertThat(new String(pipe.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(pipe.read()).isEqualTo(-1);
  }

  @Test
  void fullPipeStopsReadingUntilDrained() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < 5; i++) {
      pipe.data(Unpooled.wrappedBuffer(chunk));
    }
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).isFalse();

    pipe.readNBytes(5 * chunk.length - InboundPipe.LOW_WATER_BYTES);
    channel.runPendingTasks();

    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void abortFailsReaderAfterBufferedData() throws Exception {
    offer("partial");
    pipe.abort();

    assertThat(new String(pipe.readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("partial");
    assertThatThrownBy(pipe::read).isInstanceOf(IOException.class)
        .hasMessage("stream reset by the client");
  }

  @Test
  void closedPipeDropsDataAndResumesReading() throws Exception {
    pipe.data(Unpooled.wrappedBuffer(new byte[InboundPipe.HIGH_WATER_BYTES + 1]));
    channel.runPendingTasks();

    pipe.close();
    channel.runPendingTasks();

    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(pipe.available()).isZero();
    assertThatThrownBy(pipe::read).isInstanceOf(IOException.class).hasMessage("stream closed");
  }

  private void offer(String text) {
    ByteBuf data = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      pipe.data(data);
    } finally {
      data.release();
    }
  }
}
