package io.rktlet.fakerkt;

import static io.rktlet.fakerkt.Recorded.subst;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rktlet.fakerkt.FakeRkt.Pod;
import io.rktlet.fakerkt.FakeRkt.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Apps: add validation, start, stop, rm, status and list, replayed from the transcripts. */
class AppTest {
  static final String IMAGE = "127.0.0.1_5066/busybox:latest";
  static final List<String> RECORDED_PODS = List.of(
      "61d4948c-6bf7-429e-b346-bfa38a5d9404", "14b3c4f1-ef6c-4b91-b2a8-c406b8d662c6",
      "b1cbe08b-a6e1-4364-a6b1-68355618efcb", "bff0b19a-ce84-4bd2-935f-dc23b7f102a5",
      "eba83b27-10eb-44af-af22-6b15c202e4aa", "c6fa11d3-8340-46e7-8dd2-dc03285c28c7",
      "5f5914c7-abcf-4e0d-8586-9532ff00f1cf");

  @TempDir Path tempDir;
  FakeRkt rkt;
  String imageId;

  @BeforeEach
  void setUp() {
    rkt = new FakeRkt(tempDir);
    imageId = rkt.fetch("docker://127.0.0.1:5066/busybox:latest");
  }

  @AfterEach
  void tearDown() {
    rkt.close();
  }

  /** Maps every recorded pod UUID, the recorded data directory and image to this test's. */
  Map<String, String> ids(Pod pod) {
    Map<String, String> map = subst(
        "sha512-507d06fbe7c591710012fa56a1084d1da0f8afaa3d17f8fd9b75d53e04eff223", imageId,
        "example.com/busybox-echo:1.35.0", "127.0.0.1_5066/busybox-echo:latest",
        "example.com/busybox:1.35.0", IMAGE,
        Recorded.RECORDED_DATA_DIR, rkt.dataDir.toString());
    for (String recorded : RECORDED_PODS) {
      map.put(recorded, pod.uuid());
    }
    return map;
  }

  Result replay(Recorded recorded, Pod pod) {
    return rkt.run(recorded.args(ids(pod)));
  }

  void assertReplays(Recorded recorded, Pod pod, Result result) {
    assertThat(result.exitCode()).as(recorded.source()).isEqualTo(recorded.exitCode());
    assertThat(result.stdout()).as(recorded.source()).isEqualTo(recorded.stdout(ids(pod)));
    assertThat(result.stderr()).as(recorded.source()).isEqualTo(recorded.stderr(ids(pod)));
  }

  static Stream<Arguments> addCases() {
    return Stream.of(
        Arguments.of("duplicate app name", "errors", 12),
        Arguments.of("image name not in store", "errors", 13),
        Arguments.of("image ID not in store", "errors", 14),
        Arguments.of("uppercase app name", "errors", 15),
        Arguments.of("underscore in app name", "errors", 16),
        Arguments.of("64-character app name", "errors", 17),
        Arguments.of("300-character app name", "errors", 18),
        Arguments.of("app name starting with a digit", "errors", 20),
        Arguments.of("double hyphen in app name", "errors", 21),
        Arguments.of("trailing hyphen in app name", "errors", 22),
        Arguments.of("dot in app name", "errors", 23),
        Arguments.of("docker-style image name with port", "images", 26),
        Arguments.of("stdin mode log", "io-modes", 12),
        Arguments.of("stdin mode interactive", "io-modes", 13),
        Arguments.of("stdout mode interactive", "io-modes", 14),
        Arguments.of("stdout mode journal", "io-modes", 15),
        Arguments.of("stdout mode in capitals", "io-modes", 16),
        Arguments.of("stderr mode file", "io-modes", 17),
        Arguments.of("empty stdin mode", "io-modes", 18),
        Arguments.of("mnt-volume with a literal comma", "security", 15),
        Arguments.of("mnt-volume without target", "security", 18));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("addCases")
  void addBehavesAsRecorded(String description, String file, int line) {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.run("app", "add", pod.uuid(), IMAGE, "--name=x");
    Recorded recorded = Recorded.load(file, line);

    assertReplays(recorded, pod, replay(recorded, pod));
  }

  @Test
  void failedStdioModeAddsNothing() {
    Pod pod = rkt.startReadyPod("--net=host");

    rkt.run("app", "add", pod.uuid(), IMAGE, "--name=bad", "--stdout=file");

    assertThat(rkt.run("app", "list", "--no-legend", pod.uuid()).stdout()).isEmpty();
  }

  @Test
  void addRecordsEveryFlag() {
    Pod pod = rkt.startReadyPod("--net=host");

    Result add = rkt.run("app", "add", pod.uuid(), IMAGE, "--name=all", "--working-dir=/tmp",
        "--environment=FOO=bar", "--user=1000", "--group=1000", "--supplementary-gids=2000,3000",
        "--readonly-rootfs=true", "--caps-retain=CAP_CHOWN", "--caps-remove=CAP_NET_RAW",
        "--seccomp=mode=retain,@appc.io/all", "--memory=32M", "--cpu=250m", "--cpu-shares=512",
        "--oom-score-adj=500", "--mount=volume=v,target=/v", "--annotation=k=v",
        "--user-annotation=ua=1", "--user-label=ul=2", "--stdin=null", "--stdout=null", "--stderr=log",
        "--exec=/bin/sleep", "--", "100");

    assertThat(add.exitCode()).as(add.stderr()).isZero();
    JsonNode config = rkt.appJson(pod, "all").get("config");
    assertThat(config.get("working_dir").asText()).isEqualTo("/tmp");
    assertThat(config.get("environment").toString()).isEqualTo("[[\"FOO\",\"bar\"]]");
    assertThat(config.get("user").asText()).isEqualTo("1000");
    assertThat(config.get("group").asText()).isEqualTo("1000");
    assertThat(config.get("supplementary_gids").toString()).isEqualTo("[\"2000\",\"3000\"]");
    assertThat(config.get("readonly_rootfs").asBoolean()).isTrue();
    assertThat(config.get("caps_retain").asText()).isEqualTo("CAP_CHOWN");
    assertThat(config.get("caps_remove").asText()).isEqualTo("CAP_NET_RAW");
    assertThat(config.get("seccomp").asText()).isEqualTo("mode=retain,@appc.io/all");
    assertThat(config.get("memory").asText()).isEqualTo("32M");
    assertThat(config.get("cpu").asText()).isEqualTo("250m");
    assertThat(config.get("cpu_shares").asText()).isEqualTo("512");
    assertThat(config.get("oom_score_adj").asText()).isEqualTo("500");
    assertThat(config.get("mounts").toString()).isEqualTo("[\"volume=v,target=/v\"]");
    assertThat(config.get("annotations").toString()).isEqualTo("{\"k\":\"v\"}");
    assertThat(config.get("stdin").asText()).isEqualTo("null");
    assertThat(config.get("stderr").asText()).isEqualTo("log");
    assertThat(config.get("exec").asText()).isEqualTo("/bin/sleep");
    assertThat(config.get("args").toString()).isEqualTo("[\"100\"]");
    assertThat(rkt.podDir(pod).resolve("stage1/rootfs/opt/stage2/all/rootfs")).isDirectory();
    JsonNode status = rkt.appStatus(pod, "all");
    assertThat(status.get("user_annotations").toString()).isEqualTo("{\"ua\":\"1\"}");
    assertThat(status.get("user_labels").toString()).isEqualTo("{\"ul\":\"2\"}");
  }

  @Test
  void mntVolumeLeavesHalfAddedApp() {
    Pod pod = rkt.startReadyPod("--net=host");
    Recorded add = Recorded.load("security", 0);
    Recorded start = Recorded.load("security", 1);

    assertReplays(add, pod, replay(add, pod));
    assertThat(rkt.appStatus(pod, "v1").get("state").asText()).isEqualTo("created");
    assertReplays(start, pod, replay(start, pod));
    assertThat(rkt.appStatus(pod, "v1").get("state").asText()).as("failed start still reports running")
        .isEqualTo("running");
  }

  @Test
  void statusShowsAppsOwnTimes() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "x", "sleep 100");

    JsonNode status = rkt.appStatus(pod, "x");

    List<String> keys = new ArrayList<>();
    status.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("name", "state", "created_at", "started_at", "image_id");
    assertThat(status.get("state").asText()).isEqualTo("running");
    assertThat(status.get("started_at").asLong()).isGreaterThan(status.get("created_at").asLong());
    assertThat(status.get("image_id").asText()).isEqualTo(imageId);
  }

  static Stream<Arguments> exitCases() {
    return Stream.of(
        Arguments.of("exit 3", "exit 3", 3),
        Arguments.of("killed by SIGKILL", "kill -9 $$", 9),
        Arguments.of("killed by SIGTERM", "kill -15 $$", 15));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exitCases")
  void exitCodesFollowSystemd(String description, String script, int expected) {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "x", script);

    boolean exited = FakeRkt.eventually(Duration.ofSeconds(5),
        () -> rkt.appStatus(pod, "x").get("state").asText().equals("exited"));

    assertThat(exited).isTrue();
    JsonNode status = rkt.appStatus(pod, "x");
    assertThat(status.get("exit_code").asInt()).isEqualTo(expected);
    assertThat(status.get("finished_at").asLong()).isGreaterThanOrEqualTo(status.get("started_at").asLong());
  }

  @Test
  void missingExecRecordsExitCode203() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.run("app", "add", pod.uuid(), IMAGE, "--name=x", "--exec=/nonexistent/binary");

    Result start = rkt.run("app", "start", pod.uuid(), "--app=x");

    assertThat(start.exitCode()).isZero();
    assertThat(FakeRkt.eventually(Duration.ofSeconds(5),
        () -> rkt.appStatus(pod, "x").path("exit_code").asInt(-1) == 203)).isTrue();
  }

  @Test
  void execInsideRootfsRunsFirst() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    Path marker = rkt.scratch().resolve("helper-marker");
    rkt.run("app", "add", pod.uuid(), IMAGE, "--name=w1", "--exec=/.helper/tool", "--", "arg1");
    Path helper = rkt.podDir(pod).resolve("stage1/rootfs/opt/stage2/w1/rootfs/.helper/tool");
    Files.createDirectories(helper.getParent());
    Files.writeString(helper, "#!/bin/sh\necho \"helper-ran $1\" > " + marker + "\nexit 3\n");
    helper.toFile().setExecutable(true);

    Result start = rkt.run("app", "start", pod.uuid(), "--app=w1");

    assertThat(start.exitCode()).isZero();
    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> Files.exists(marker))).isTrue();
    assertThat(Files.readString(marker)).isEqualTo("helper-ran arg1\n");
    assertThat(FakeRkt.eventually(Duration.ofSeconds(5),
        () -> rkt.appStatus(pod, "w1").path("exit_code").asInt(-1) == 3)).isTrue();
  }

  @Test
  void workingDirectoryResolvesInsideRootfs() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    Path hostOnly = Files.createDirectories(rkt.scratch().resolve("host-only"));
    Map<String, String> workingDirs = Map.of("inside", "/wd", "host", hostOnly.toString(), "missing", "/no/such/dir");
    for (Map.Entry<String, String> entry : workingDirs.entrySet()) {
      Path marker = rkt.scratch().resolve("pwd-" + entry.getKey());
      rkt.run("app", "add", pod.uuid(), IMAGE, "--name=" + entry.getKey(), "--working-dir=" + entry.getValue(),
          "--exec=/bin/sh", "--", "-c", "pwd > " + marker);
    }
    Path inside = Files.createDirectories(rkt.podDir(pod).resolve("stage1/rootfs/opt/stage2/inside/rootfs/wd"));
    for (String name : workingDirs.keySet()) {
      rkt.run("app", "start", pod.uuid(), "--app=" + name);
    }

    assertThat(FakeRkt.eventually(Duration.ofSeconds(5),
        () -> workingDirs.keySet().stream().allMatch(n -> Files.exists(rkt.scratch().resolve("pwd-" + n))))).isTrue();
    assertThat(Files.readString(rkt.scratch().resolve("pwd-inside")).strip()).isEqualTo(inside.toString());
    assertThat(Files.readString(rkt.scratch().resolve("pwd-host")).strip()).isEqualTo(hostOnly.toString());
    assertThat(Files.readString(rkt.scratch().resolve("pwd-missing")).strip()).isEqualTo("/");
  }

  @Test
  void environmentMergesImageAndFlags() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    Path marker = rkt.scratch().resolve("env");
    rkt.addAndStart(pod, IMAGE, "w1", "env > " + marker, "--environment=FOO=bar");

    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> rkt.appStatus(pod, "w1").has("exit_code"))).isTrue();
    List<String> env = Files.readAllLines(marker);
    assertThat(env).contains("FOO=bar", "AC_APP_NAME=w1",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Test
  void outputGoesToPerAppFiles() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "logged", "echo out; echo err >&2");
    rkt.addAndStart(pod, IMAGE, "quiet", "echo out; echo err >&2", "--stdout=null", "--stderr=null");

    assertThat(FakeRkt.eventually(Duration.ofSeconds(5), () -> rkt.appStatus(pod, "logged").has("exit_code")
        && rkt.appStatus(pod, "quiet").has("exit_code"))).isTrue();
    Path apps = rkt.podDir(pod).resolve("appsinfo");
    assertThat(Files.readString(apps.resolve("logged/stdout"))).isEqualTo("out\n");
    assertThat(Files.readString(apps.resolve("logged/stderr"))).isEqualTo("err\n");
    assertThat(apps.resolve("quiet/stdout")).doesNotExist();
    assertThat(apps.resolve("quiet/stderr")).doesNotExist();
  }

  @Test
  void numericUserAppliesWhenRoot() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "switching users needs root");
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "u3", "exec sleep 100", "--user=1000", "--group=1000",
        "--supplementary-gids=2000,3000");
    long pid = rkt.appPid(pod, "u3");

    List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));

    assertThat(status).contains("Uid:\t1000\t1000\t1000\t1000", "Gid:\t1000\t1000\t1000\t1000");
    assertThat(status).anyMatch(line -> line.matches("Groups:\\s+1000 2000 3000\\s*"));
  }

  @Test
  void sixthStartWithinTenSecondsFails() {
    Pod pod = rkt.startReadyPod("--net=host");
    for (int i = 1; i <= 6; i++) {
      rkt.run("app", "add", pod.uuid(), IMAGE, "--name=a" + i, "--exec=/bin/sleep", "--", "100");
    }
    Recorded recorded = Recorded.load("io-startlimit", 5);

    for (int i = 1; i <= 5; i++) {
      assertThat(rkt.run("app", "start", pod.uuid(), "--app=a" + i).exitCode()).isZero();
    }
    Result sixth = replay(recorded, pod);

    assertReplays(recorded, pod, sixth);
    assertThat(rkt.run("app", "list", "--no-legend", pod.uuid()).stdout()).endsWith("a6\texited\n");
  }

  @Test
  void startLimitCanBeTurnedOff() {
    rkt.env("RKT_FAKE_START_LIMIT", "0");
    Pod pod = rkt.startReadyPod("--net=host");

    for (int i = 1; i <= 7; i++) {
      rkt.run("app", "add", pod.uuid(), IMAGE, "--name=a" + i, "--exec=/bin/sleep", "--", "100");
      Result start = rkt.run("app", "start", pod.uuid(), "--app=a" + i);
      assertThat(start.exitCode()).as("start %d", i).isZero();
    }
  }

  @Test
  void startingRunningAppFails() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "x", "sleep 100");

    Result again = rkt.run("app", "start", pod.uuid(), "--app=x");

    assertThat(again.exitCode()).isEqualTo(254);
    assertThat(again.stderr()).isEqualTo("start: error starting app: exit status 254\n");
    assertThat(rkt.appStatus(pod, "x").get("state").asText()).isEqualTo("running");
  }

  static Stream<Arguments> missingAppCases() {
    return Stream.of(
        Arguments.of("app status", 7),
        Arguments.of("app start", 8),
        Arguments.of("app stop", 9),
        Arguments.of("app rm", 10),
        Arguments.of("app exec", 11));
  }

  @ParameterizedTest(name = "{0} of a nonexistent app")
  @MethodSource("missingAppCases")
  void missingAppFailsAsRecorded(String description, int line) {
    Pod pod = rkt.startReadyPod("--net=host");
    Recorded recorded = Recorded.load("errors", line);

    assertReplays(recorded, pod, replay(recorded, pod));
  }

  @Test
  void exitedPodRejectsAppCommands() throws Exception {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "trap", "sleep 100");
    rkt.run("stop", "--force", pod.uuid());
    pod.process().waitFor();

    for (int line : new int[] {26, 27, 28, 29}) {
      Recorded recorded = Recorded.load("errors", line);
      assertReplays(recorded, pod, replay(recorded, pod));
    }
  }

  @Test
  void removingRunningAppStopsIt() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "x", "sleep 100");
    long pid = rkt.appPid(pod, "x");

    for (int line : new int[] {31, 32}) {
      Recorded recorded = Recorded.load("errors", line);
      assertReplays(recorded, pod, replay(recorded, pod));
    }
    assertThat(FakeRkt.processAlive(pid)).isFalse();
    assertThat(rkt.podDir(pod).resolve("stage1/rootfs/opt/stage2/x")).doesNotExist();
  }

  @Test
  void removingAppBreaksSiblingsOfSameImage() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.fetch("docker://127.0.0.1:5066/busybox-echo:latest");
    for (int line : new int[] {40, 41, 42, 43, 44, 45, 48, 49, 52, 53}) {
      Recorded recorded = Recorded.load("errors", line);
      assertReplays(recorded, pod, replay(recorded, pod));
    }

    JsonNode pending = rkt.appStatus(pod, "pending");
    assertThat(pending.get("state").asText()).isEqualTo("running");
    assertThat(pending.has("finished_at")).isFalse();
    assertThat(rkt.appStatus(pod, "run1").get("state").asText()).isEqualTo("running");
    assertThat(rkt.appStatus(pod, "otherimg").get("state").asText()).isEqualTo("running");
  }

  @Test
  void appStopKillsAfterTimeout() {
    rkt.env("RKT_FAKE_STOP_TIMEOUT_S", "1");
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "tr1", "trap '' TERM; while true; do sleep 1; done");

    long begin = System.nanoTime();
    Result stop = rkt.run("app", "stop", pod.uuid(), "--app=tr1");
    Duration took = Duration.ofNanos(System.nanoTime() - begin);

    assertThat(stop.exitCode()).isZero();
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    JsonNode status = rkt.appStatus(pod, "tr1");
    assertThat(status.get("state").asText()).isEqualTo("exited");
    assertThat(status.get("exit_code").asInt()).isEqualTo(9);
  }

  @Test
  void appListPrintsNamesAndStates() {
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, IMAGE, "pa", "sleep 100");
    rkt.run("app", "add", pod.uuid(), IMAGE, "--name=pf");

    Result legend = rkt.run("app", "list", pod.uuid());
    Result bare = rkt.run("app", "list", "--no-legend", pod.uuid());

    assertThat(legend.stdout()).isEqualTo("NAME\tSTATE\npa\trunning\npf\tcreated\n");
    assertThat(bare.stdout()).isEqualTo("pa\trunning\npf\tcreated\n");
  }

  @Test
  void appRunsInItsOwnCgroup() throws Exception {
    Path unified = Path.of("/sys/fs/cgroup/unified");
    assumeTrue(Files.isWritable(unified.resolve("cgroup.procs")), "needs a writable cgroup2 at " + unified);
    Pod pod = rkt.startReadyPod("--net=host");
    Path scope = unified.resolve("machine-rkt\\x2d" + pod.uuid().replace("-", "\\x2d") + ".scope");
    try {
      rkt.addAndStart(pod, IMAGE, "m1", "exec sleep 100");
      long pid = rkt.appPid(pod, "m1");
      Path appCgroup = scope.resolve("payload/system.slice/m1.service");

      assertThat(Files.readAllLines(appCgroup.resolve("cgroup.procs"))).containsExactly(Long.toString(pid));
      assertThat(rkt.run("app", "rm", pod.uuid(), "--app=m1").exitCode()).isZero();
      assertThat(appCgroup).doesNotExist();
    } finally {
      removeCgroupTree(scope);
    }
  }

  /** Removes cgroup directories left by a failed test; rmdir works once they have no processes. */
  static void removeCgroupTree(Path scope) throws Exception {
    if (!Files.isDirectory(scope)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(scope)) {
      for (Path dir : tree.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        dir.toFile().delete();
      }
    }
  }
}
