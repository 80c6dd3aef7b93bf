package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.config.RegistryHost;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryRouteTest {

  private static ImageReference reference(String text) {
    return ImageReference.parse(text, "image.image");
  }

  @Test
  void unconfiguredHostIsTheOnlyEndpoint() {
    RegistryRoute route = new RegistryRoute(Map.of());

    assertThat(route.endpoints(reference("quay.io/x/y:1")))
        .containsExactly(new RegistryEndpoint("quay.io", false, false));
  }

  @Test
  void dockerHubUsesItsApiHost() {
    RegistryRoute route = new RegistryRoute(Map.of());

    List<RegistryEndpoint> endpoints = route.endpoints(reference("busybox"));

    assertThat(endpoints).containsExactly(
        new RegistryEndpoint("registry-1.docker.io", false, false));
    assertThat(endpoints.get(0).dockerUrl(reference("busybox")))
        .isEqualTo("docker://registry-1.docker.io/library/busybox:latest");
  }

  @Test
  void mirrorsComeFirstInConfiguredOrder() {
    RegistryHost k8s = new RegistryHost("registry.k8s.io",
        List.of(URI.create("http://127.0.0.1:5000"), URI.create("https://mirror.example.com")),
        false);
    RegistryRoute route = new RegistryRoute(Map.of("registry.k8s.io", k8s));

    assertThat(route.endpoints(reference("registry.k8s.io/pause:3.9"))).containsExactly(
        new RegistryEndpoint("127.0.0.1:5000", true, true),
        new RegistryEndpoint("mirror.example.com", false, true),
        new RegistryEndpoint("registry.k8s.io", false, false));
  }

  @Test
  void mirrorKeepsTheImageName() {
    RegistryEndpoint mirror = new RegistryEndpoint("127.0.0.1:5000", true, true);

    assertThat(mirror.dockerUrl(reference("registry.k8s.io/pause:3.9")))
        .isEqualTo("docker://127.0.0.1:5000/pause:3.9");
    assertThat(mirror.dockerUrl(reference("busybox")))
        .isEqualTo("docker://127.0.0.1:5000/library/busybox:latest");
  }

  @Test
  void insecureHostIsPlainHttp() {
    RegistryHost local = new RegistryHost("127.0.0.1:5066", List.of(), true);
    RegistryRoute route = new RegistryRoute(Map.of("127.0.0.1:5066", local));

    assertThat(route.endpoints(reference("127.0.0.1:5066/busybox")))
        .containsExactly(new RegistryEndpoint("127.0.0.1:5066", true, false));
  }

  @Test
  void insecureSettingAppliesOnlyToItsHost() {
    RegistryHost local = new RegistryHost("127.0.0.1:5066", List.of(), true);
    RegistryRoute route = new RegistryRoute(Map.of("127.0.0.1:5066", local));

    assertThat(route.endpoints(reference("127.0.0.1:5067/busybox")))
        .containsExactly(new RegistryEndpoint("127.0.0.1:5067", false, false));
  }

  @Test
  void dockerHubMirrorIsConfiguredUnderDockerIo() {
    RegistryHost hub = new RegistryHost("docker.io",
        List.of(URI.create("https://mirror.gcr.io")), false);
    RegistryRoute route = new RegistryRoute(Map.of("docker.io", hub));

    assertThat(route.endpoints(reference("library/busybox:1"))).containsExactly(
        new RegistryEndpoint("mirror.gcr.io", false, true),
        new RegistryEndpoint("registry-1.docker.io", false, false));
  }

  @Test
  void mirrorWithPathIsIgnored() {
    RegistryHost k8s = new RegistryHost("registry.k8s.io",
        List.of(URI.create("https://mirror.example.com/k8s"), URI.create("http://10.0.0.1/")),
        false);
    RegistryRoute route = new RegistryRoute(Map.of("registry.k8s.io", k8s));

    assertThat(route.endpoints(reference("registry.k8s.io/pause:3.9"))).containsExactly(
        new RegistryEndpoint("10.0.0.1", true, true),
        new RegistryEndpoint("registry.k8s.io", false, false));
  }

  @Test
  void digestReferenceFetchesByDigest() {
    String digest = RecordedImages.BUSYBOX_DIGEST;
    RegistryEndpoint local = new RegistryEndpoint("127.0.0.1:5066", true, false);

    assertThat(local.dockerUrl(reference("127.0.0.1:5066/busybox:latest@" + digest)))
        .isEqualTo("docker://127.0.0.1:5066/busybox@" + digest);
  }

  @Test
  void rktImageNameMatchesRecordedStoreNames() {
    RegistryEndpoint local = new RegistryEndpoint("127.0.0.1:5066", true, false);

    assertThat(local.rktImageName(reference("127.0.0.1:5066/busybox:v2")))
        .isEqualTo("127.0.0.1_5066/busybox:v2");
    assertThat(local.rktImageName(
        reference("127.0.0.1:5066/busybox@" + RecordedImages.BUSYBOX_DIGEST)))
        .isEqualTo("127.0.0.1_5066/busybox");
  }

  @Test
  void rktImageNameMatchesRecordedImageList() {
    RegistryEndpoint local = new RegistryEndpoint("127.0.0.1:5066", true, false);
    String recordedList = RktTranscript.find(RecordedImages.FILE, "image list --format=json")
        .stdout();

    assertThat(recordedList)
        .contains("\"name\":\"" + local.rktImageName(reference("127.0.0.1:5066/busybox:v2")) + "\"")
        .contains("\"name\":\""
            + local.rktImageName(reference("127.0.0.1:5066/busybox:latest")) + "\"");
  }
}
