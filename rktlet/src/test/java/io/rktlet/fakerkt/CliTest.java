package io.rktlet.fakerkt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rktlet.fakerkt.FakeRkt.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line behaviour of the fake rkt: version, experiments, flags, the invocation log. */
class CliTest {
  @TempDir Path tempDir;
  FakeRkt rkt;

  @BeforeEach
  void setUp() {
    rkt = new FakeRkt(tempDir);
  }

  @AfterEach
  void tearDown() {
    rkt.close();
  }

  @Test
  void versionPrintsRecordedLines() {
    Result result = rkt.run("version");

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.stdout().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).isEqualTo("rkt Version: 1.30.0");
    assertThat(lines.get(1)).isEqualTo("appc Version: 0.8.11");
    assertThat(lines.get(2)).startsWith("Go Version: go");
    assertThat(lines.get(3)).isEqualTo("Go OS/Arch: linux/amd64");
    assertThat(lines.get(4)).isEqualTo("Features: -TPM -SDJOURNAL");
  }

  @Test
  void appCommandsNeedExperimentVariable() {
    rkt.env("RKT_EXPERIMENT_APP", null);

    Result result = rkt.run("app", "sandbox");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr()).startsWith("Error: unknown command \"app\" for \"rkt\"\n");
    assertThat(rkt.dataDir.resolve("pods/run")).doesNotExist();
  }

  @Test
  void falseExperimentValueDisablesApp() {
    rkt.env("RKT_EXPERIMENT_APP", "false");

    Result result = rkt.run("app", "list", "x");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr()).startsWith("Error: unknown command \"app\" for \"rkt\"");
  }

  @Test
  void stdioFlagsNeedAttachExperiment() {
    FakeRkt.Pod pod = rkt.startReadyPod("--net=host");
    String image = rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
    rkt.env("RKT_EXPERIMENT_ATTACH", null);
    Recorded recorded = Recorded.load("logging", 67);

    Result result = rkt.run(recorded.args(Recorded.subst(
        "bff0b19a-ce84-4bd2-935f-dc23b7f102a5", pod.uuid(),
        "example.com/busybox:1.35.0", image)));

    assertThat(result.exitCode()).isEqualTo(recorded.exitCode());
    assertThat(result.stderr()).isEqualTo(recorded.stderr());
  }

  @Test
  void unknownFlagFailsLikeCobra() {
    Result result = rkt.run("status", "--bogus=1", "00000000-0000-0000-0000-000000000000");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr()).isEqualTo("Error: unknown flag: --bogus\n");
  }

  @Test
  void unknownCommandFailsLikeCobra() {
    Result result = rkt.run("bogus");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr())
        .isEqualTo("Error: unknown command \"bogus\" for \"rkt\"\nRun 'rkt --help' for usage.\n");
  }

  @Test
  void globalFlagsWorkAfterSubcommand() {
    Path other = tempDir.resolve("other");
    FakeRkt.Pod pod = rkt.startPod("--net=host");

    Result separate = rkt.run("list", "--dir", other.toString(), "--format=json");
    Result joined = rkt.run("list", "--format=json");

    assertThat(separate.stdout()).isEqualTo("null\n");
    assertThat(other.resolve("fake-rkt/invocations.jsonl")).exists();
    assertThat(joined.stdout()).contains(pod.uuid());
  }

  @Test
  void invocationLogRecordsArgvEnvAndExitCode() throws Exception {
    rkt.run("status", "--format=json", "nope");

    List<String> lines = Files.readAllLines(rkt.dataDir.resolve("fake-rkt/invocations.jsonl"));
    assertThat(lines).hasSize(1);
    JsonNode entry = FakeRkt.JSON.readTree(lines.get(0));
    assertThat(entry.get("argv").get(0).asText()).isEqualTo(FakeRkt.SCRIPT.toString());
    assertThat(entry.get("argv").get(1).asText()).isEqualTo("--dir=" + rkt.dataDir);
    assertThat(entry.get("argv").get(2).asText()).isEqualTo("status");
    assertThat(entry.get("argv").get(3).asText()).isEqualTo("--format=json");
    assertThat(entry.get("argv").get(4).asText()).isEqualTo("nope");
    assertThat(entry.get("env").get("RKT_EXPERIMENT_APP").asText()).isEqualTo("true");
    assertThat(entry.get("env").get("RKT_EXPERIMENT_ATTACH").asText()).isEqualTo("true");
    assertThat(entry.get("env").has("RKT_FAKE_READY_DELAY_MS")).isFalse();
    assertThat(entry.get("exit_code").asInt()).isEqualTo(254);
  }

  @Test
  void sandboxLogsItselfAtLaunch() throws Exception {
    rkt.startPod("--net=host", "--hostname=h1");

    List<String> lines = Files.readAllLines(rkt.dataDir.resolve("fake-rkt/invocations.jsonl"));
    JsonNode entry = FakeRkt.JSON.readTree(lines.get(0));
    assertThat(entry.get("argv").get(3).asText()).isEqualTo("sandbox");
    assertThat(entry.get("argv").get(6).asText()).isEqualTo("--hostname=h1");
    assertThat(entry.get("exit_code").isNull()).isTrue();
  }
}
