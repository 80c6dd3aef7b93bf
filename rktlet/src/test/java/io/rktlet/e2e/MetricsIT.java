package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.RemoveContainerRequest;
import io.rktlet.cri.v1.VersionRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint of a running rktlet, scraped over loopback HTTP. */
class MetricsIT extends RktletTestBase {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final int port = freePort();

  @Override
  List<String> rktletArgs() {
    return List.of("--metrics-address=127.0.0.1:" + port);
  }

  @Test
  void countsCallsPodsAndLogRecords() throws Exception {
    cri.runtime().version(VersionRequest.getDefaultInstance());
    pull("busybox");
    PodSandboxConfig pod = podConfig("metrics");
    String podId = runPod(pod);
    String id = startContainer(podId, pod, "talker",
        List.of("/bin/sh", "-c", "echo one; echo two >&2; echo three"));
    awaitExited(id, WAIT);

    String text = scrape();
    assertThat(value(text, "rktlet_cri_requests_total{code=\"OK\",method=\"Version\"}"))
        .isEqualTo(1);
    assertThat(value(text, "rktlet_pods{state=\"ready\"}")).isEqualTo(1);
    assertThat(value(text, "rktlet_containers{state=\"exited\"}")).isEqualTo(1);
    assertThat(value(text, "rktlet_log_records_total")).isEqualTo(3);

    cri.runtime().removeContainer(
        RemoveContainerRequest.newBuilder().setContainerId(id).build());

    String afterRemoval = scrape();
    assertThat(value(afterRemoval, "rktlet_containers{state=\"exited\"}")).isZero();
    assertThat(value(afterRemoval, "rktlet_log_records_total"))
        .as("a removed container's records stay counted").isEqualTo(3);
  }

  private String scrape() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(WAIT).build();
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Returns the value of the sample whose name and labels are exactly {@code series}. */
  private static double value(String text, String series) {
    Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)",
        Pattern.MULTILINE).matcher(text);
    assertThat(matcher.find()).as("sample %s in the scrape", series).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }
}
