package io.rktlet.fakerkt;

import static io.rktlet.fakerkt.Recorded.subst;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rktlet.fakerkt.FakeRkt.Pod;
import io.rktlet.fakerkt.FakeRkt.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Images: fetch from a simulated registry, list, cat-manifest, rm and gc, against transcripts. */
class ImageTest {
  static final String LATEST_DIGEST = "sha256:2b0594d8c3edda521563cdfccec2aebfec2723c7242f4da309ceaa30f1009564";
  static final String USER_DIGEST = "sha256:90afdf69bd54f9aa8f13f5bcf77afe76ca2ada5f65d389857493d010253e2104";
  static final String NOBODY_DIGEST = "sha256:1d1db53372c21071c937ed7bebf03974bf2bc238f5ad2130549d26280f7f6660";
  static final String LAYER = "sha256:4a707c6e9ff6155ae776e195152ca962eb23718b9506a53ad5d719ad61568b41";

  /** The recorded lab registry: busybox pushed as latest and v2, plus derived user images. */
  static final String REGISTRY = """
      {
        "hosts": {
          "127.0.0.1:5066": {
            "scheme": "http",
            "repositories": {
              "busybox": {"tags": {"latest": "%1$s", "v2": "%1$s"}},
              "busybox-user": {"tags": {"latest": "%2$s"}},
              "busybox-nobody": {"tags": {"latest": "%3$s"}}
            }
          },
          "127.0.0.1:5067": {
            "credentials": {"user": "alice", "password": "secret"},
            "repositories": {"private": {"tags": {"1.0": "%1$s"}}}
          }
        },
        "manifests": {
          "%1$s": %4$s,
          "%2$s": %5$s,
          "%3$s": %6$s
        }
      }
      """;

  @TempDir Path tempDir;
  FakeRkt rkt;

  static String manifest(String user) {
    return """
        {"exec": ["/bin/sh", "-c", "echo hello-from-docker-image; while true; do sleep 5; done"],
         "user": "%1$s", "group": "%1$s", "workingDirectory": "/", "env": ["PATH=/bin"],
         "created": "2026-12-04T15:17:21.046041779Z", "imageId": "%2$s",
         "layers": [{"digest": "%2$s", "size": 1090000}], "size": 2128896}
        """.formatted(user, LAYER);
  }

  @BeforeEach
  void setUp() throws Exception {
    rkt = new FakeRkt(tempDir);
    Path registry = tempDir.resolve("registry.json");
    Files.writeString(registry, REGISTRY.formatted(LATEST_DIGEST, USER_DIGEST, NOBODY_DIGEST,
        manifest("0"), manifest("1000"), manifest("nobody")));
    rkt.env("RKT_FAKE_REGISTRY", registry.toString());
  }

  @AfterEach
  void tearDown() {
    rkt.close();
  }

  /** Replays an images transcript fetch and returns the full image ID it printed. */
  String fetchRecorded(int line) {
    Recorded recorded = Recorded.load("images", line);
    Result result = rkt.run(recorded.args(Map.of()));
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(recorded.exitCode());
    assertThat(result.stderr()).isEqualTo(recorded.stderr());
    assertThat(result.stdout()).matches("sha512-[0-9a-f]{64}\n");
    return result.stdout().strip();
  }

  @Test
  void tagsAndDigestsGetOwnIds() {
    String latest = fetchRecorded(7);
    String v2 = fetchRecorded(8);
    String digest = fetchRecorded(9);

    assertThat(latest).isNotEqualTo(v2).isNotEqualTo(digest);
    assertThat(v2).isNotEqualTo(digest);
    assertThat(fetchRecorded(10)).as("fetched again").isEqualTo(latest);
    assertThat(fetchRecorded(11)).as("pull policy update").isEqualTo(latest);
    assertThat(fetchRecorded(12)).as("pull policy never").isEqualTo(latest);
  }

  @Test
  void catManifestMatchesRecorded() {
    String latest = fetchRecorded(7);
    String digest = fetchRecorded(9);
    fetchRecorded(17);
    fetchRecorded(18);
    Map<String, String> ids = subst(
        "sha512-ed1b95e1dabe3f0b7f5f2a2116681e3aafde15f8fc8f23428515df227b1e2fd4", latest,
        "sha512-a6c0f353864ba6ad97cf650f48fd793c131e4a67bde85b532e4934e0dc8c1d5b", digest);

    for (int line : new int[] {15, 16, 19, 20}) {
      Recorded recorded = Recorded.load("images", line);
      Result result = rkt.run(recorded.args(ids));
      assertThat(result.exitCode()).as(recorded.source()).isZero();
      assertThat(result.stdout()).as(recorded.source()).isEqualTo(recorded.stdout());
    }
  }

  @Test
  void imageListShowsStoreNames() {
    String latest = fetchRecorded(7);
    fetchRecorded(8);
    fetchRecorded(9);

    JsonNode list = rkt.json(rkt.run("image", "list", "--format=json"));
    Result text = rkt.run("image", "list", "--no-legend");

    assertThat(list.size()).isEqualTo(3);
    assertThat(list.get(0).get("name").asText()).isEqualTo("127.0.0.1_5066/busybox:latest");
    assertThat(list.get(0).get("id").asText()).isEqualTo(latest);
    assertThat(list.get(0).get("size").asLong()).isEqualTo(2128896);
    assertThat(list.get(1).get("name").asText()).isEqualTo("127.0.0.1_5066/busybox:v2");
    assertThat(list.get(2).get("name").asText()).isEqualTo("127.0.0.1_5066/busybox");
    assertThat(list.get(0).get("last_used_time").asLong()).isGreaterThanOrEqualTo(list.get(0).get("import_time").asLong());
    assertThat(text.stdout()).startsWith(latest.substring(0, 19) + "\t127.0.0.1_5066/busybox:latest\t");
    assertThat(text.stdout().lines().toList().get(0)).contains("\t2.0MiB\t");
  }

  @Test
  void imageListIsNullWhenEmpty() {
    assertThat(rkt.run("image", "list", "--format=json").stdout()).isEqualTo("null\n");
  }

  @Test
  void fetchWithoutFullPrintsShortId() {
    Result result = rkt.run("--insecure-options=image,http", "fetch", "docker://127.0.0.1:5066/busybox:latest");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).matches("sha512-[0-9a-f]{32}\n");
  }

  static Stream<Arguments> fetchErrors() {
    return Stream.of(
        Arguments.of("nonexistent tag", 56),
        Arguments.of("nonexistent repository", 57),
        Arguments.of("closed port", 58),
        Arguments.of("plain HTTP without insecure http", 59),
        Arguments.of("nonexistent digest", 60),
        Arguments.of("missing local ACI file", 61),
        Arguments.of("pull policy never of an image not in store", 62));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fetchErrors")
  void fetchFailsAsRecorded(String description, int line) {
    Recorded recorded = Recorded.load("errors", line);

    Result result = rkt.run(recorded.args(Map.of()));

    assertThat(result.exitCode()).isEqualTo(recorded.exitCode());
    assertThat(result.stdout()).isEqualTo(recorded.stdout());
    assertThat(result.stderr()).isEqualTo(recorded.stderr());
  }

  @Test
  void fetchNeedsInsecureImageOption() {
    Result result = rkt.run("--insecure-options=http", "fetch", "docker://127.0.0.1:5066/busybox:latest");

    assertThat(result.exitCode()).isEqualTo(254);
    assertThat(result.stderr()).isEqualTo(
        "fetch: signature verification for docker images is not supported (try --insecure-options=image)\n");
  }

  @Test
  void credentialsComeFromAuthDirectory() throws Exception {
    Path userConfig = tempDir.resolve("user-config");
    Files.createDirectories(userConfig.resolve("auth.d"));
    Files.writeString(userConfig.resolve("auth.d/registry.json"), """
        {"rktKind": "dockerAuth", "rktVersion": "v1", "registries": ["127.0.0.1:5067"],
         "credentials": {"user": "alice", "password": "secret"}}
        """);

    Result without = rkt.run("--insecure-options=image", "fetch", "docker://127.0.0.1:5067/private:1.0");
    Result with = rkt.run("--insecure-options=image", "--user-config=" + userConfig, "fetch",
        "docker://127.0.0.1:5067/private:1.0");

    assertThat(without.exitCode()).isEqualTo(254);
    assertThat(without.stderr()).isEqualTo(
        "fetch: unexpected http code: 401, URL: https://127.0.0.1:5067/v2/private/manifests/1.0\n");
    assertThat(with.exitCode()).as(with.stderr()).isZero();
  }

  @Test
  void imageRmAsRecorded() {
    String latest = fetchRecorded(7);
    String v2 = fetchRecorded(8);
    String digest = fetchRecorded(9);
    String user = fetchRecorded(17);
    String nobody = fetchRecorded(18);
    Map<String, String> ids = subst(
        "sha512-ed1b95e1dabe3f0b7f5f2a2116681e3aafde15f8fc8f23428515df227b1e2fd4", latest,
        "sha512-9750894b71909710267b5d656011a027f36fcf90ceb44f28633001fc433c9ab6", v2,
        "sha512-a6c0f353864ba6ad97cf650f48fd793c131e4a67bde85b532e4934e0dc8c1d5b", digest,
        "sha512-02a46dff394af1dd2b0ae277c679119d0d627191e05c191a09bc3b465a713a32", user,
        "sha512-ee7e6f431c42a8870d9dccce9348f9123d46362926f95529d93e8cfc423e6853", nobody,
        "sha512-ee7e6f431c42", nobody.substring(0, 19));

    for (int line = 29; line <= 35; line++) {
      Recorded recorded = Recorded.load("images", line);
      Result result = rkt.run(recorded.args(ids));
      assertThat(result.exitCode()).as(recorded.source()).isZero();
      assertThat(result.stdout()).as(recorded.source()).isEqualTo(recorded.stdout(ids));
      assertThat(result.stderr()).as(recorded.source()).isEqualTo(recorded.stderr(ids));
    }
    JsonNode left = rkt.json(rkt.run("image", "list", "--format=json"));
    assertThat(left.size()).isEqualTo(1);
    assertThat(left.get(0).get("id").asText()).isEqualTo(latest);
  }

  @Test
  void imageGcKeepsImagesOfRunningPods() {
    String latest = fetchRecorded(7);
    String v2 = fetchRecorded(8);
    Pod pod = rkt.startReadyPod("--net=host");
    rkt.addAndStart(pod, "127.0.0.1_5066/busybox:latest", "web", "sleep 100");
    String stage1 = rkt.json(rkt.run("image", "list", "--format=json")).get(2).get("id").asText();

    Result defaultGrace = rkt.run("image", "gc");
    Result noGrace = rkt.run("image", "gc", "--grace-period=0s");

    assertThat(defaultGrace.stdout()).isEmpty();
    assertThat(defaultGrace.stderr()).isEmpty();
    assertThat(noGrace.stdout()).isEqualTo("successfully removed aci for image: \"" + v2 + "\"\n"
        + "successfully removed aci for image: \"" + stage1 + "\"\n");
    assertThat(noGrace.stderr()).isEqualTo("gc: 2 image(s) successfully removed\n");
    JsonNode left = rkt.json(rkt.run("image", "list", "--format=json"));
    assertThat(left.size()).isEqualTo(1);
    assertThat(left.get(0).get("id").asText()).isEqualTo(latest);
  }

  @Test
  void sandboxImportsStage1Image() {
    rkt.startReadyPod("--net=host");

    JsonNode list = rkt.json(rkt.run("image", "list", "--format=json"));

    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).get("name").asText()).isEqualTo("coreos.com/rkt/stage1-host:1.30.0");
    assertThat(list.get(0).get("size").asLong()).isEqualTo(166657548);
  }

  @Test
  void nameWithoutVersionPicksLatest() {
    String latest = fetchRecorded(7);
    fetchRecorded(8);
    fetchRecorded(9);
    Pod pod = rkt.startReadyPod("--net=host");

    Result add = rkt.run("app", "add", pod.uuid(), "127.0.0.1_5066/busybox", "--name=dn2");

    assertThat(add.exitCode()).isZero();
    assertThat(rkt.appStatus(pod, "dn2").get("image_id").asText()).isEqualTo(latest);
  }

  @Test
  void unresolvableImageUserFailsAdd() {
    fetchRecorded(18);
    Pod pod = rkt.startReadyPod("--net=host");
    Map<String, String> ids = subst("14b3c4f1-ef6c-4b91-b2a8-c406b8d662c6", pod.uuid());

    for (int line : new int[] {23, 24}) {
      Recorded recorded = Recorded.load("images", line);
      Result result = rkt.run(recorded.args(ids));
      assertThat(result.exitCode()).as(recorded.source()).isEqualTo(recorded.exitCode());
      assertThat(result.stderr()).as(recorded.source()).isEqualTo(recorded.stderr(ids));
    }
    assertThat(rkt.appStatus(pod, "in1").get("state").asText()).isEqualTo("created");
    assertThat(rkt.run("app", "start", pod.uuid(), "--app=in2").exitCode()).isZero();
  }

  @Test
  void dockerHubReferencesUseRegistryOneName() {
    rkt.env("RKT_FAKE_REGISTRY", null);

    String id = rkt.fetch("docker://busybox");
    Result manifest = rkt.run("image", "cat-manifest", id);

    assertThat(rkt.json(rkt.run("image", "list", "--format=json")).get(0).get("name").asText())
        .isEqualTo("registry-1.docker.io/library/busybox:latest");
    assertThat(manifest.stdout()).contains("\"value\": \"registry-1.docker.io\"")
        .contains("\"value\": \"library/busybox\"");
  }

  @Test
  void pullPolicyNewUsesStore() {
    Result first = rkt.run("--insecure-options=image,http", "fetch", "--pull-policy=new",
        "docker://127.0.0.1:5066/busybox:v2");
    Result second = rkt.run("--insecure-options=image,http", "fetch", "--pull-policy=new",
        "docker://127.0.0.1:5066/busybox:v2");

    assertThat(first.stderr()).startsWith("Downloading ");
    assertThat(second.stderr()).isEmpty();
    assertThat(second.stdout()).isEqualTo(first.stdout());
  }
}
