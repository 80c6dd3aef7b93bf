package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.process.ProcessSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysctlApplierTest {
  private static final SysctlPlan PLAN = SysctlPolicy.plan(Map.of(
      "net.ipv4.conf.eth0/100.rp_filter", "2", "kernel.shmmax", "68719476736"), false,
      "config.linux.sysctls");

  @Test
  void writesEachValueInsideThePodNamespace() throws IOException {
    RecordingRunner runner = RecordingRunner.succeeding();

    new SysctlApplier(runner, Duration.ofSeconds(3)).apply("sandbox-1", PLAN, 4242);

    List<ProcessSpec> specs = runner.specs();
    assertThat(specs).extracting(ProcessSpec::argv).containsExactly(
        List.of("nsenter", "--target=4242", "--ipc", "--", "tee", "/proc/sys/kernel/shmmax"),
        List.of("nsenter", "--target=4242", "--net", "--", "tee",
            "/proc/sys/net/ipv4/conf/eth0.100/rp_filter"));
    assertThat(new String(specs.get(0).stdin(), StandardCharsets.UTF_8))
        .isEqualTo("68719476736\n");
    assertThat(new String(specs.get(1).stdin(), StandardCharsets.UTF_8)).isEqualTo("2\n");
    assertThat(specs.get(0).timeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void stopsAtFirstFailure() {
    RecordingRunner runner = new RecordingRunner(spec -> RecordingRunner.result(spec, 1,
        "tee: /proc/sys/kernel/shmmax: Permission denied\n", false));

    assertThatThrownBy(() -> new SysctlApplier(runner).apply("sandbox-1", PLAN, 4242))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed to set sysctl kernel.shmmax=68719476736 in sandbox "
            + "sandbox-1")
        .hasMessageContaining("exited with 1: tee: /proc/sys/kernel/shmmax: Permission denied");
    assertThat(runner.specs()).hasSize(1);
  }

  @Test
  void reportsTimeout() {
    RecordingRunner runner = new RecordingRunner(spec -> RecordingRunner.result(spec, 137, "",
        true));

    assertThatThrownBy(() -> new SysctlApplier(runner).apply("sandbox-1", PLAN, 4242))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("timed out after 3 ms");
  }

  @Test
  void rejectsMissingPid() {
    assertThatThrownBy(() -> new SysctlApplier(RecordingRunner.succeeding())
        .apply("sandbox-1", PLAN, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyPlanRunsNothing() throws IOException {
    RecordingRunner runner = RecordingRunner.succeeding();

    new SysctlApplier(runner).apply("sandbox-1", SysctlPlan.empty(), 4242);

    assertThat(runner.specs()).isEmpty();
  }
}
