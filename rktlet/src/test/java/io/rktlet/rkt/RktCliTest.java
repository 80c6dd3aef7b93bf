package io.rktlet.rkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.testing.RecordingRunner;
import io.rktlet.testing.Transcripts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RktCliTest {
  private static final String UUID = "61d4948c-6bf7-429e-b346-bfa38a5d9404";
  private final RecordingRunner runner = new RecordingRunner();
  private final RktCli rkt = new RktCli(new RktCliConfig(Path.of("/usr/bin/rkt"),
      Path.of("/srv/rkt-lab/data"), null, null, Duration.ofSeconds(30)), runner);

  @Test
  void everyCommandGetsExperimentsAndDataDir() {
    rkt.list();

    assertThat(runner.specs().get(0).environment())
        .containsEntry("RKT_EXPERIMENT_APP", "true")
        .containsEntry("RKT_EXPERIMENT_ATTACH", "true");
    assertThat(runner.lastArgv())
        .containsExactly("/usr/bin/rkt", "--dir=/srv/rkt-lab/data", "list", "--format=json");
  }

  @Test
  void versionParsesRecordedOutput() {
    runner.answer(0, "rkt Version: 1.30.0\nappc Version: 0.8.11\nGo Version: go1.10\n"
        + "Go OS/Arch: linux/amd64\nFeatures: -TPM -SDJOURNAL\n", "");

    assertThat(rkt.version()).isEqualTo("1.30.0");
  }

  @Test
  void appAddKeepsHostileValuesInsideFlags() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "--insecure-options=all");
    AppSpec spec = new AppSpec("web-0123456789ab", "sha512-507d06fbe7c5",
        new AppSpec.Command("/bin/sh", List.of("-c", "--insecure-options=all"), "/srv", env),
        new AppSpec.Identity("1000", "1000", List.of(5L, 6L)),
        new AppSpec.Security(true, List.of(), List.of("CAP_NET_RAW"), "mode=retain,@appc.io/all"),
        new AppSpec.Resources("32000000", "250m", 512L, 500L),
        new AppSpec.Metadata(Map.of(), Map.of("rktlet.io/container-id", "abc"), Map.of()),
        null);

    rkt.appAdd(UUID, spec);

    assertThat(runner.lastArgv()).containsExactly(
        "/usr/bin/rkt", "--dir=/srv/rkt-lab/data", "app", "add", UUID, "sha512-507d06fbe7c5",
        "--name=web-0123456789ab", "--user=1000", "--group=1000", "--supplementary-gids=5,6",
        "--readonly-rootfs=true", "--caps-remove=CAP_NET_RAW",
        "--seccomp=mode=retain,@appc.io/all", "--memory=32000000", "--cpu=250m",
        "--cpu-shares=512", "--oom-score-adj=500",
        "--user-annotation=rktlet.io/container-id=abc", "--working-dir=/srv",
        "--environment=A=--insecure-options=all", "--exec=/bin/sh", "--", "-c",
        "--insecure-options=all");
  }

  @Test
  void positionalValueStartingWithDashIsRejected() {
    assertThatThrownBy(() -> rkt.appStart("--insecure-options=all", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rkt.catManifest("--dir=/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runner.specs()).isEmpty();
  }

  @Test
  void sandboxCommandMapsEveryFlag() {
    SandboxSpec spec = new SandboxSpec(Path.of("/var/lib/rktlet/sandboxes/x/pod-uuid"),
        List.of("host"), "myhost", List.of("1.1.1.1"), List.of("x.local"), List.of("ndots:5"),
        List.of(), List.of("tcp-80-18080:tcp:80:127.0.0.1:18080"), Map.of(),
        Map.of("rktlet.io/sandbox-id", "abc"), Map.of(),
        new SandboxSpec.Stage1(SandboxSpec.Stage1.Kind.NAME, "coreos.com/rkt/stage1-host:1.30.0"));

    assertThat(rkt.sandboxCommand(spec)).containsExactly("/usr/bin/rkt",
        "--dir=/srv/rkt-lab/data", "app", "sandbox",
        "--uuid-file-save=/var/lib/rktlet/sandboxes/x/pod-uuid",
        "--stage1-name=coreos.com/rkt/stage1-host:1.30.0", "--net=host", "--hostname=myhost",
        "--dns=1.1.1.1", "--dns-search=x.local", "--dns-opt=ndots:5",
        "--port=tcp-80-18080:tcp:80:127.0.0.1:18080",
        "--user-annotation=rktlet.io/sandbox-id=abc");
  }

  @Test
  void stopOfStoppedPodReportsFalse() {
    runner.answer(Transcripts.find("errors.jsonl", "stop of an exited pod"));

    assertThat(rkt.stop("c6fa11d3-8340-46e7-8dd2-dc03285c28c7", false)).isFalse();
  }

  @Test
  void stopOfRunningPodPrintsQuotedUuid() {
    runner.answer(Transcripts.find("stop.jsonl", "rkt stop --force (pod st2"));

    assertThat(rkt.stop("c6fa11d3-8340-46e7-8dd2-dc03285c28c7", true)).isTrue();
    assertThat(runner.lastArgv()).containsSubsequence("stop", "--force",
        "c6fa11d3-8340-46e7-8dd2-dc03285c28c7");
  }

  @Test
  void statusOfUnknownPodIsEmpty() {
    runner.answer(Transcripts.find("errors.jsonl", "status --format=json of a nonexistent"));

    assertThat(rkt.status("00000000-0000-0000-0000-000000000000")).isEmpty();
  }

  @Test
  void appStatusOfUnknownAppIsEmpty() {
    runner.answer(Transcripts.find("errors.jsonl", "app status of a nonexistent app"));

    assertThat(rkt.appStatus(UUID, "nope")).isEmpty();
  }

  @Test
  void failureCarriesArgvAndStrippedStderr() {
    runner.answer(Transcripts.find("errors.jsonl", "app add with uppercase app name"));

    assertThatThrownBy(() -> rkt.appAdd(UUID, new AppSpec("Upper", "sha512-507d",
        null, null, null, null, null, null)))
        .isInstanceOfSatisfying(RktException.class, e -> {
          assertThat(e.failure()).isEqualTo(RktFailure.INVALID_APP_NAME);
          assertThat(e.exitCode()).isEqualTo(254);
          assertThat(e.argv()).contains("--name=Upper");
          assertThat(e.reason()).startsWith("add: error adding app to pod: ACName must")
              .doesNotContain("group \"rkt\" not found");
        });
  }

  @Test
  void timeoutIsClassified() {
    runner.timeout();

    assertThatThrownBy(() -> rkt.appStop(UUID, "x", Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(RktException.class,
            e -> assertThat(e.failure()).isEqualTo(RktFailure.TIMEOUT));
  }

  @Test
  void imageRemoveCountsRemovedImagesThoughExitIsZero() {
    runner.answer(Transcripts.find("images.jsonl", "image rm by name (127.0.0.1_5066/busybox:v2)"));
    runner.answer(Transcripts.find("images.jsonl", "image rm of nonexistent id"));

    assertThat(rkt.imageRemove(List.of("sha512-9750894b71909710267b5d656011a027"))).isEqualTo(1);
    assertThat(rkt.imageRemove(List.of("sha512-00000000000000000000000000000000"))).isZero();
  }

  @Test
  void fetchReturnsLastImageIdLine() {
    runner.answer(Transcripts.find("images.jsonl", "fetch docker://127.0.0.1:5066/busybox:latest"));

    String id = rkt.fetch("docker://127.0.0.1:5066/busybox:latest", true,
        Path.of("/tmp/auth"), Duration.ofSeconds(60));

    assertThat(id).isEqualTo(
        "sha512-ed1b95e1dabe3f0b7f5f2a2116681e3aafde15f8fc8f23428515df227b1e2fd4");
    assertThat(runner.lastArgv()).containsExactly("/usr/bin/rkt", "--dir=/srv/rkt-lab/data",
        "--insecure-options=image,http", "--user-config=/tmp/auth", "fetch", "--full",
        "--pull-policy=update", "docker://127.0.0.1:5066/busybox:latest");
  }
}
