package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error stream's content, as Kubernetes clients decode it. */
class ExecStatusTest {
  @Test
  void successAsJson() {
    assertThat(ExecStatus.success().toJson())
        .isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
  }

  @Test
  void nonZeroExitAsJson() {
    assertThat(ExecStatus.nonZeroExit(List.of("false"), 1).toJson()).isEqualTo(
        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with"
            + " non-zero exit code: error executing command [false], exit code 1\","
            + "\"reason\":\"NonZeroExitCode\","
            + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"1\"}]}}");
  }

  @Test
  void internalErrorAsJson() {
    assertThat(ExecStatus.internalError("no such container").toJson()).isEqualTo(
        "{\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"Internal error occurred: no such container\","
            + "\"reason\":\"InternalError\","
            + "\"details\":{\"causes\":[{\"message\":\"no such container\"}]},\"code\":500}");
  }

  @Test
  void textForOlderProtocols() {
    assertThat(ExecStatus.success().encode(false)).isEmpty();
    assertThat(new String(ExecStatus.nonZeroExit(List.of("sh", "-c", "exit 2"), 2)
        .encode(false), StandardCharsets.UTF_8)).isEqualTo(
        "command terminated with non-zero exit code: error executing command [sh -c exit 2],"
            + " exit code 2");
  }
}
