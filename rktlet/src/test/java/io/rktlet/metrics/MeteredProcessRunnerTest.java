package io.rktlet.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.testing.RecordingRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteredProcessRunnerTest {
  private static final Path RKT = Path.of("/usr/bin/rkt");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Metrics metrics = new Metrics();

  private static ProcessSpec rkt(String... words) {
    List<String> argv = new java.util.ArrayList<>(List.of(RKT.toString(), "--dir=/var/lib/rkt"));
    argv.addAll(List.of(words));
    return ProcessSpec.of(argv, TIMEOUT);
  }

  private Scrape scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return Scrape.parse(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void countsBySubcommandAndOutcome() throws IOException {
    RecordingRunner recorded = new RecordingRunner()
        .answer(0, "rkt Version: 1.30.0\n", "")
        .answer(0, "null\n", "")
        .answer(254, "", "no matches found for \"x\"\n")
        .timeout();
    ProcessRunner runner = new MeteredProcessRunner(recorded, RKT, metrics);

    runner.run(rkt("version"));
    runner.run(rkt("app", "status", "--format=json", "uuid", "--app=a"));
    runner.run(rkt("status", "--format=json", "uuid"));
    runner.run(rkt("image", "list", "--format=json"));

    Scrape scrape = scrape();
    String name = "rktlet_rkt_invocations_total";
    assertThat(scrape.value(name, Map.of("subcommand", "version", "outcome", "success")))
        .isEqualTo(1);
    assertThat(scrape.value(name, Map.of("subcommand", "app status", "outcome", "success")))
        .isEqualTo(1);
    assertThat(scrape.value(name, Map.of("subcommand", "status", "outcome", "failure")))
        .isEqualTo(1);
    assertThat(scrape.value(name, Map.of("subcommand", "image list", "outcome", "timeout")))
        .isEqualTo(1);
    assertThat(scrape.value("rktlet_rkt_invocation_duration_seconds_count",
        Map.of("subcommand", "version"))).isEqualTo(1);
    assertThat(scrape.value("rktlet_rkt_invocation_duration_seconds_bucket",
        Map.of("subcommand", "version", "le", "0.01"))).isEqualTo(1);
  }

  @Test
  void startFailureCountedAsError() {
    ProcessRunner failing = spec -> {
      throw new IOException("Cannot run program \"/usr/bin/rkt\": error=2");
    };
    ProcessRunner runner = new MeteredProcessRunner(failing, RKT, metrics);

    assertThatThrownBy(() -> runner.run(rkt("list", "--format=json")))
        .isInstanceOf(IOException.class);

    assertThat(metricValue("rktlet_rkt_invocations_total",
        Map.of("subcommand", "list", "outcome", "error"))).isEqualTo(1);
  }

  @Test
  void otherProgramsPassUncounted() throws IOException {
    RecordingRunner recorded = new RecordingRunner();
    ProcessRunner runner = new MeteredProcessRunner(recorded, RKT, metrics);

    runner.run(ProcessSpec.of(List.of("mount", "--make-rshared", "/var/lib/rkt"), TIMEOUT));

    assertThat(recorded.specs()).hasSize(1);
    assertThat(scrape().has("rktlet_rkt_invocations_total")).isFalse();
  }

  private double metricValue(String name, Map<String, String> labels) {
    try {
      return scrape().value(name, labels);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
