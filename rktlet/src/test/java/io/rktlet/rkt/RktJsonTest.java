package io.rktlet.rkt;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.testing.Transcripts;
import java.util.List;
import org.junit.jupiter.api.Test;

class RktJsonTest {

  @Test
  void listOfRecordedPods() {
    // The recorded list of 22 pods is clipped, so the list is built from two whole recorded
    // pod objects: a running host-network pod and an exited pod.
    String hostPod = Transcripts.find("network.jsonl", "net=host pod (no networks key)")
        .stdout().strip();
    String exitedPod = Transcripts.find("stop.jsonl", "st1 status --format=json after exit")
        .stdout().strip();

    List<RktPod> pods = RktJson.pods("[" + hostPod + "," + exitedPod + "]");

    assertThat(pods).extracting(RktPod::uuid).containsExactly(
        "b4900629-12b6-4c02-99d6-aa0a5df010db", "941a39b0-794a-4ab8-8356-0362b7c39caa");
    assertThat(pods).extracting(RktPod::isRunning).containsExactly(true, false);
    assertThat(pods.get(0).createdAtSeconds()).isEqualTo(1796398750L);
    assertThat(pods.get(0).apps().get(0).createdAtNanos()).isEqualTo(1796398750742997179L);
    assertThat(pods.get(1).app("trap").exitCode()).isZero();
  }

  @Test
  void listPrintsNullWhenEmpty() {
    assertThat(RktJson.pods("null\n")).isEmpty();
  }

  @Test
  void networksOfPodOnDefaultNetwork() {
    // The recorded status is clipped after its networks; they are used verbatim.
    String out = Transcripts.find("concurrency.jsonl",
        "latency: rkt status --format=json (one pod) with 22 19 #1").stdout();
    String networks = out.substring(out.indexOf("\"networks\""), out.indexOf(",\"app_names\""));

    RktPod pod = RktJson.pod("{\"name\":\"9f0d6062-f79e-4ba1-adf0-799da9e3a295\","
        + "\"state\":\"running\"," + networks + "}");

    assertThat(pod.firstIp()).isEqualTo("172.16.28.6");
    assertThat(pod.networks().get(0).netName()).isEqualTo("default");
    assertThat(pod.networks().get(0).mask()).isEqualTo("255.255.255.0");
    assertThat(pod.apps()).isEmpty();
  }

  @Test
  void statusOfHostNetworkPodHasNoNetworks() {
    String out = Transcripts.find("network.jsonl", "net=host pod (no networks key)").stdout();

    RktPod pod = RktJson.pod(out);

    assertThat(pod.networks()).isEmpty();
    assertThat(pod.firstIp()).isNull();
    assertThat(pod.userAnnotations()).isEmpty();
  }

  @Test
  void exitedAppCarriesExitCodeAndFinishTime() {
    String out = Transcripts.find("io-wrapper.jsonl", "app status w1").stdout();

    RktApp app = RktJson.app(out);

    assertThat(app.isExited()).isTrue();
    assertThat(app.exitCode()).isEqualTo(3);
    assertThat(app.finishedAtNanos()).isEqualTo(1796400987525582666L);
  }

  @Test
  void forcedStopLeavesAppWithoutExitCode() {
    String out = Transcripts.find("stop.jsonl", "app status of trap in st2 after --force")
        .stdout();

    RktApp app = RktJson.app(out);

    assertThat(app.isExited()).isTrue();
    assertThat(app.exitCode()).isNull();
    assertThat(app.finishedAtNanos()).isNull();
  }

  @Test
  void imageListAndManifest() {
    List<RktImage> images = RktJson.images(
        Transcripts.find("images.jsonl", "image list --format=json").stdout());
    ImageManifest manifest = RktJson.manifest(Transcripts.find("images.jsonl",
        "cat-manifest of docker-converted busybox:latest (by id)").stdout());

    assertThat(images).extracting(RktImage::name).contains("127.0.0.1_5066/busybox:latest");
    assertThat(images.get(0).sizeBytes()).isEqualTo(4131537L);
    assertThat(manifest.annotation(ImageManifest.MANIFEST_HASH)).isEqualTo(
        "sha256:2b0594d8c3edda521563cdfccec2aebfec2723c7242f4da309ceaa30f1009564");
    assertThat(manifest.label("version")).isEqualTo("latest");
    assertThat(manifest.app().user()).isEqualTo("0");
    assertThat(manifest.app().exec()).startsWith("/bin/sh", "-c");
  }
}
