package io.rktlet.fakerkt;

import static io.rktlet.fakerkt.Recorded.subst;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rktlet.fakerkt.FakeRkt.Pod;
import io.rktlet.fakerkt.FakeRkt.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pods: sandbox, status, list, stop, rm and gc, replayed from the recorded transcripts. */
class PodTest {
  static final String MISSING_UUID = "00000000-0000-0000-0000-000000000000";

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
  void sandboxPrintsRecordedWarnings() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    Recorded recorded = Recorded.load("stop", 23);
    Path stderr = pod.console().resolveSibling(pod.console().getFileName().toString().replace("console", "stderr"));

    assertThat(Files.readString(stderr))
        .isEqualTo(recorded.stderr(subst("c6fa11d3-8340-46e7-8dd2-dc03285c28c7", pod.uuid())));
  }

  @Test
  void statusTextReportsPidAndNetwork() {
    Pod pod = rkt.startReadyPod();

    Result result = rkt.run("status", pod.uuid());

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.stdout().lines().toList();
    assertThat(lines.get(0)).isEqualTo("state=running");
    assertThat(lines.get(1)).matches("created=\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})? [-+]\\d{4} \\S+");
    assertThat(lines.get(2)).startsWith("started=");
    assertThat(lines.get(3)).isEqualTo("networks=default:ip4=172.16.28.2");
    assertThat(lines.get(4)).isEqualTo("pid=" + pod.process().pid());
    assertThat(lines.get(5)).isEqualTo("exited=false");
  }

  @Test
  void eachPodGetsItsOwnAddress() {
    Pod first = rkt.startReadyPod();
    Pod second = rkt.startReadyPod();

    JsonNode firstNet = rkt.json(rkt.run("status", "--format=json", first.uuid())).get("networks").get(0);
    JsonNode secondNet = rkt.json(rkt.run("status", "--format=json", second.uuid())).get("networks").get(0);

    assertThat(firstNet.get("ip").asText()).isEqualTo("172.16.28.2");
    assertThat(secondNet.get("ip").asText()).isEqualTo("172.16.28.3");
    assertThat(secondNet.toString()).isEqualTo("{\"netName\":\"default\",\"netConf\":\"net/99-default.conf\","
        + "\"pluginPath\":\"stage1/rootfs/usr/lib/rkt/plugins/net/ptp\",\"ifName\":\"eth0\","
        + "\"ip\":\"172.16.28.3\",\"args\":\"\",\"mask\":\"255.255.255.0\"}");
  }

  @Test
  void hostNetworkPodHasNoNetworksKey() {
    Pod pod = rkt.startReadyPod("--net=host");

    JsonNode status = rkt.json(rkt.run("status", "--format=json", pod.uuid()));
    Result text = rkt.run("status", pod.uuid());

    assertThat(status.has("networks")).isFalse();
    assertThat(status.get("state").asText()).isEqualTo("running");
    assertThat(text.stdout()).contains("\nnetworks=\n");
  }

  @Test
  void podConfigRecordsSandboxFlags() throws Exception {
    Pod pod = rkt.startReadyPod("--hostname=myhost", "--dns=1.1.1.1", "--dns=8.8.8.8",
        "--dns-search=x.local", "--dns-opt=ndots:5", "--dns-domain=example", "--hosts-entry=10.1.2.3=db.x.local",
        "--port=http:tcp:80:127.0.0.1:18080", "--annotation=a=b", "--stage1-name=coreos.com/rkt/stage1-host");

    JsonNode config = FakeRkt.JSON.readTree(rkt.podDir(pod).resolve("pod-config.json").toFile());

    assertThat(config.get("hostname").asText()).isEqualTo("myhost");
    assertThat(config.get("dns").toString()).isEqualTo("[\"1.1.1.1\",\"8.8.8.8\"]");
    assertThat(config.get("dns_search").toString()).isEqualTo("[\"x.local\"]");
    assertThat(config.get("dns_opt").toString()).isEqualTo("[\"ndots:5\"]");
    assertThat(config.get("dns_domain").asText()).isEqualTo("example");
    assertThat(config.get("hosts_entries").toString()).isEqualTo("[\"10.1.2.3=db.x.local\"]");
    assertThat(config.get("ports").get(0).toString()).isEqualTo("{\"name\":\"http\",\"protocol\":\"tcp\","
        + "\"pod_port\":\"80\",\"host_ip\":\"127.0.0.1\",\"host_port\":\"18080\"}");
    assertThat(config.get("annotations").get("a").asText()).isEqualTo("b");
    assertThat(config.get("stage1").get("name").asText()).isEqualTo("coreos.com/rkt/stage1-host");
  }

  @Test
  void userAnnotationsAndLabelsAppearInPodJson() {
    Pod pod = rkt.startReadyPod("--net=host", "--user-annotation=io.rktlet/id=abc",
        "--user-label=app=web", "--user-label=tier=front");

    JsonNode status = rkt.json(rkt.run("status", "--format=json", pod.uuid()));

    assertThat(status.get("user_annotations").toString()).isEqualTo("{\"io.rktlet/id\":\"abc\"}");
    assertThat(status.get("user_labels").toString()).isEqualTo("{\"app\":\"web\",\"tier\":\"front\"}");
  }

  @Test
  void waitReadyWaitsForDelay() {
    rkt.env("RKT_FAKE_READY_DELAY_MS", "700");
    Pod pod = rkt.startPod("--net=host");
    rkt.fetch("docker://127.0.0.1:5066/busybox:latest");

    Result early = rkt.run("app", "add", pod.uuid(), "127.0.0.1_5066/busybox:latest", "--name=r2");
    Result ready = rkt.run("status", "--wait-ready=10s", pod.uuid());
    Result late = rkt.run("app", "add", pod.uuid(), "127.0.0.1_5066/busybox:latest", "--name=r2");

    Recorded recorded = Recorded.load("io-journal", 120);
    assertThat(early.exitCode()).isEqualTo(254);
    assertThat(early.stderr()).isEqualTo(recorded.stderr(subst("9eb4df2d-a5ef-42d3-82f2-378b54eaa7a8", pod.uuid())));
    assertThat(ready.exitCode()).isZero();
    assertThat(ready.stdout()).startsWith("state=running\n");
    assertThat(late.exitCode()).isZero();
  }

  @Test
  void waitReadyTimesOut() {
    rkt.env("RKT_FAKE_READY_DELAY_MS", "60000");
    Pod pod = rkt.startPod("--net=host");

    Result result = rkt.run("status", "--wait-ready=200ms", pod.uuid());

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr()).isEqualTo("status: error waiting for pod readiness: context deadline exceeded\n");
  }

  static Stream<Arguments> missingPodCommands() {
    return Stream.of(
        Arguments.of("status of a nonexistent UUID", 0),
        Arguments.of("status --format=json of a nonexistent UUID", 1),
        Arguments.of("stop of a nonexistent UUID", 2),
        Arguments.of("rm of a nonexistent UUID", 3),
        Arguments.of("status with a malformed UUID", 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingPodCommands")
  void missingPodFailsAsRecorded(String description, int line) {
    rkt.startPod("--net=host");
    Recorded recorded = Recorded.load("errors", line);

    Result result = rkt.run(recorded.args(Map.of()));

    assertThat(result.exitCode()).isEqualTo(recorded.exitCode());
    assertThat(result.stdout()).isEqualTo(recorded.stdout());
    assertThat(result.stderr()).isEqualTo(recorded.stderr());
  }

  @Test
  void uuidPrefixesResolve() {
    rkt.env("RKT_FAKE_UUID", "b4900629-12b6-4c02-99d6-aa0a5df010db");
    Pod first = rkt.startPod("--net=host");
    rkt.env("RKT_FAKE_UUID", "bff0b19a-ce84-4bd2-935f-dc23b7f102a5");
    rkt.startPod("--net=host");
    rkt.env("RKT_FAKE_UUID", null);

    Result unique = rkt.run("status", "b49");
    Result ambiguous = rkt.run("status", "b");

    assertThat(unique.exitCode()).isZero();
    assertThat(unique.stdout()).contains("pid=" + first.process().pid());
    Recorded recorded = Recorded.load("errors", 24);
    assertThat(ambiguous.exitCode()).isEqualTo(recorded.exitCode());
    assertThat(ambiguous.stderr()).isEqualTo(recorded.stderr());
  }

  @Test
  void listIsNullWithoutPods() {
    Result result = rkt.run("list", "--format=json");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("null\n");
  }

  @Test
  void listShowsPodsWithApps() {
    Pod pod = rkt.startReadyPod();
    String image = rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
    rkt.addAndStart(pod, "127.0.0.1_5066/busybox:latest", "web", "sleep 100");

    JsonNode list = rkt.json(rkt.run("list", "--format=json"));
    Result text = rkt.run("list", "--no-legend");

    assertThat(list.size()).isEqualTo(1);
    JsonNode entry = list.get(0);
    assertThat(entry.get("name").asText()).isEqualTo(pod.uuid());
    assertThat(entry.get("app_names").toString()).isEqualTo("[\"web\"]");
    JsonNode app = entry.get("apps").get(0);
    assertThat(app.get("state").asText()).isEqualTo("running");
    assertThat(app.get("image_id").asText()).isEqualTo(image);
    assertThat(app.get("created_at").asLong() / 1_000_000_000L).isEqualTo(entry.get("created_at").asLong());
    assertThat(app.has("exit_code")).isFalse();
    assertThat(text.stdout()).startsWith(pod.uuid().substring(0, 8) + "\tweb\t");
    assertThat(text.stdout()).contains("\trunning\t").endsWith("\tdefault:ip4=172.16.28.2\n");
  }

  @Test
  void gracefulStopRecordsExitCodeZero() throws Exception {
    rkt.env("RKT_FAKE_STOP_TIMEOUT_S", "1");
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
    rkt.addAndStart(pod, "127.0.0.1_5066/busybox:latest", "trap", "trap '' TERM; while true; do sleep 1; done");
    long appPid = rkt.appPid(pod, "trap");

    Result stop = rkt.run("stop", pod.uuid());
    Result during = rkt.run("status", pod.uuid());
    boolean exited = pod.process().waitFor(20, TimeUnit.SECONDS);

    Recorded recorded = Recorded.load("stop", 21);
    assertThat(stop.stdout()).isEqualTo(recorded.stdout(subst("941a39b0-794a-4ab8-8356-0362b7c39caa", pod.uuid())));
    assertThat(during.stdout()).startsWith("state=running\n");
    assertThat(exited).isTrue();
    assertThat(pod.process().exitValue()).isZero();
    assertThat(FakeRkt.processAlive(appPid)).isFalse();
    JsonNode app = rkt.appStatus(pod, "trap");
    assertThat(app.get("state").asText()).isEqualTo("exited");
    assertThat(app.get("exit_code").asInt()).isZero();
    assertThat(app.has("finished_at")).isTrue();
    Result text = rkt.run("status", pod.uuid());
    assertThat(text.stdout()).contains("\nexited=true\napp-trap=0\n");
    JsonNode podJson = rkt.json(rkt.run("status", "--format=json", pod.uuid()));
    assertThat(podJson.get("state").asText()).isEqualTo("exited");
    assertThat(podJson.get("apps").get(0).get("exit_code").asInt()).isZero();
    assertThat(podJson.get("apps").get(0).has("finished_at")).isFalse();
  }

  @Test
  void forceStopKillsPodWithoutExitCodes() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
    rkt.addAndStart(pod, "127.0.0.1_5066/busybox:latest", "trap", "trap '' TERM; while true; do sleep 1; done");
    long appPid = rkt.appPid(pod, "trap");

    Result stop = rkt.run("stop", "--force", pod.uuid());

    Recorded recorded = Recorded.load("stop", 22);
    assertThat(stop.exitCode()).isZero();
    assertThat(stop.stdout()).isEqualTo(recorded.stdout(subst("c6fa11d3-8340-46e7-8dd2-dc03285c28c7", pod.uuid())));
    assertThat(pod.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pod.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> !FakeRkt.processAlive(appPid))).isTrue();
    JsonNode app = rkt.appStatus(pod, "trap");
    assertThat(app.get("state").asText()).isEqualTo("exited");
    assertThat(app.has("exit_code")).isFalse();
    assertThat(app.has("finished_at")).isFalse();
    assertThat(rkt.run("status", pod.uuid()).stdout()).contains("\nexited=true\n");
  }

  @Test
  void stoppingStoppedPodAsRecorded() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.run("stop", "--force", pod.uuid());
    pod.process().waitFor(10, TimeUnit.SECONDS);
    Map<String, String> ids = subst("941a39b0-794a-4ab8-8356-0362b7c39caa", pod.uuid());

    for (int line : new int[] {36, 37}) {
      Recorded recorded = Recorded.load("stop", line);
      Result result = rkt.run(recorded.args(ids));
      assertThat(result.exitCode()).as(recorded.source()).isEqualTo(recorded.exitCode());
      assertThat(result.stdout()).as(recorded.source()).isEqualTo(recorded.stdout(ids));
    }
  }

  @Test
  void killedPodProcessCountsAsExited() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
    rkt.addAndStart(pod, "127.0.0.1_5066/busybox:latest", "x", "sleep 100");
    long appPid = rkt.appPid(pod, "x");

    pod.process().destroyForcibly();

    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> !FakeRkt.processAlive(appPid))).isTrue();
    assertThat(rkt.run("status", pod.uuid()).stdout()).startsWith("state=exited\n");
    assertThat(rkt.appStatus(pod, "x").has("exit_code")).isFalse();
  }

  @Test
  void removingRunningPodFailsAsRecorded() {
    Pod pod = rkt.startReadyPod("--net=host");
    Recorded recorded = Recorded.load("errors", 30);
    Map<String, String> ids = subst("0acd98f3-96f8-458a-9b4d-238e823f3b8c", pod.uuid());

    Result result = rkt.run(recorded.args(ids));

    assertThat(result.exitCode()).isEqualTo(recorded.exitCode());
    assertThat(result.stderr()).isEqualTo(recorded.stderr(ids));
  }

  @Test
  void removingExitedPodDeletesIt() throws Exception {
    Pod pod = rkt.startReadyPod();
    rkt.run("stop", "--force", pod.uuid());
    pod.process().waitFor(10, TimeUnit.SECONDS);

    Result result = rkt.run("rm", pod.uuid());
    Pod next = rkt.startReadyPod();

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("\"" + pod.uuid() + "\"\n");
    assertThat(rkt.podDir(pod)).doesNotExist();
    assertThat(rkt.run("status", next.uuid()).stdout()).contains("networks=default:ip4=172.16.28.3");
  }

  @Test
  void gcCollectsExitedPods() throws Exception {
    Pod stopped = rkt.startReadyPod("--net=host");
    Pod running = rkt.startReadyPod("--net=host");
    rkt.run("stop", "--force", stopped.uuid());
    stopped.process().waitFor(10, TimeUnit.SECONDS);

    Result marked = rkt.run("gc");
    Result listed = rkt.run("status", stopped.uuid());
    Result collected = rkt.run("gc", "--grace-period=0s");

    assertThat(marked.stderr()).isEqualTo("gc: moving pod \"" + stopped.uuid() + "\" to garbage\n"
        + "gc: pod \"" + stopped.uuid() + "\" not removed: still within grace period (30m0s)\n");
    assertThat(listed.stdout()).startsWith("state=exited garbage\n");
    assertThat(collected.exitCode()).isZero();
    assertThat(collected.stdout()).isEqualTo("Garbage collecting pod \"" + stopped.uuid() + "\"\n");
    assertThat(rkt.run("status", stopped.uuid()).exitCode()).isEqualTo(254);
    assertThat(rkt.run("status", running.uuid()).stdout()).startsWith("state=running\n");
  }
}
