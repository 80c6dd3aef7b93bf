package io.rktlet.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessesTest {

  @Test
  void liveProcessIsRunning() {
    assertThat(Processes.isRunning(ProcessHandle.current().pid())).isTrue();
  }

  @Test
  void missingProcessIsNotRunning() {
    assertThat(Processes.isRunning(Integer.MAX_VALUE)).isFalse();
  }

  @Test
  void zombieIsNotRunning() throws Exception {
    // The shell starts a short sleep and then becomes a long sleep, which never reaps it.
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $!; exec sleep 30")
        .redirectErrorStream(true).start();
    try {
      long child = Long.parseLong(new BufferedReader(new InputStreamReader(
          parent.getInputStream(), StandardCharsets.US_ASCII)).readLine().strip());
      Path stat = Path.of("/proc", Long.toString(child), "stat");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.readString(stat).contains(") Z ") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.readString(stat)).as("the child is a zombie").contains(") Z ");

      assertThat(Processes.isRunning(child)).isFalse();
    } finally {
      parent.destroyForcibly();
      parent.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
