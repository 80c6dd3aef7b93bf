package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TerminalSizeQueueTest {
  private final TerminalSizeQueue queue = new TerminalSizeQueue();

  @Test
  void sizesComeOutInOrder() throws Exception {
    queue.offer(new TerminalSize(80, 24));
    queue.offer(new TerminalSize(100, 30));

    assertThat(queue.take()).isEqualTo(new TerminalSize(80, 24));
    assertThat(queue.take()).isEqualTo(new TerminalSize(100, 30));
  }

  @Test
  void fullQueueDropsOldestSize() throws Exception {
    for (int width = 1; width <= TerminalSizeQueue.CAPACITY + 2; width++) {
      queue.offer(new TerminalSize(width, 10));
    }

    assertThat(queue.take()).isEqualTo(new TerminalSize(3, 10));
  }

  @Test
  void pollTimesOutWhenEmpty() throws Exception {
    assertThat(queue.poll(Duration.ofMillis(20))).isNull();
    assertThat(queue.isClosed()).isFalse();
  }

  @Test
  void closeReleasesTakerAfterRemainingSizes() throws Exception {
    queue.offer(new TerminalSize(1, 1));
    queue.close();

    assertThat(queue.offer(new TerminalSize(2, 2))).isFalse();
    assertThat(queue.take()).isEqualTo(new TerminalSize(1, 1));
    assertThat(queue.take()).isNull();
  }

  @Test
  void closeWakesWaitingTaker() throws Exception {
    Thread closer = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      queue.close();
    });
    closer.start();

    assertThat(queue.take()).isNull();
    closer.join();
  }
}
