package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SIGHUP reloads the log level and registry settings without a restart. */
class ConfigReloadIT extends RktletTestBase {

  @Test
  void sighupAppliesLogLevelAndMirrors() throws Exception {
    Files.writeString(rktlet.configFile(), String.join("\n",
        "log_level = \"debug\"",
        "[registries.\"docker.io\"]",
        "mirrors = [\"http://127.0.0.1:5000\"]",
        ""));

    new ProcessBuilder("kill", "-HUP", Long.toString(rktlet.pid())).start().waitFor();
    await(() -> logOrEmpty(), log -> log.contains("Registry settings reloaded"),
        Duration.ofSeconds(10));
    pull("busybox");

    assertThat(rktlet.log()).contains("log_level is now debug (was info)");
    String invocations = Files.readString(rktlet.rktDir().resolve("fake-rkt/invocations.jsonl"));
    assertThat(invocations).contains("docker://127.0.0.1:5000/library/busybox:latest");
    assertThat(rktlet.log()).doesNotContain("take effect after a restart");
  }

  @Test
  void settingThatNeedsRestartIsReported() throws Exception {
    Files.writeString(rktlet.configFile(), "[rkt]\ncommand_timeout_seconds = 30\n");

    new ProcessBuilder("kill", "-HUP", Long.toString(rktlet.pid())).start().waitFor();

    await(() -> logOrEmpty(), log -> log.contains("The rkt settings changed in the configuration; they take effect after "
            + "a restart"),
        Duration.ofSeconds(10));
  }

  private String logOrEmpty() {
    try {
      return rktlet.log();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
