package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.rktlet.config.RegistryHost;
import io.rktlet.errors.CriException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageManagerPullErrorTest extends ImageManagerFixture {
  private static final String ERRORS = "errors.jsonl";

  private CriException pullFailure(String image) {
    return catchThrowableOfType(CriException.class, () -> pull(image));
  }

  @Test
  void missingTagIsNotFound() {
    rkt.fail("docker://127.0.0.1:5066/busybox:nope",
        RktTranscript.find(ERRORS, "fetch of a nonexistent docker tag"));

    CriException failure = pullFailure("127.0.0.1:5066/busybox:nope");

    assertThat(failure.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure).hasMessage(
        "image 127.0.0.1:5066/busybox:nope not found in registry 127.0.0.1:5066 (plain HTTP)");
  }

  @Test
  void missingDigestIsNotFound() {
    String digest = "sha256:" + "0".repeat(64);
    rkt.fail("docker://127.0.0.1:5066/busybox@" + digest,
        RktTranscript.find(ERRORS, "fetch by a nonexistent digest"));

    CriException failure = pullFailure("127.0.0.1:5066/busybox@" + digest);

    assertThat(failure.code()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void closedPortIsUnavailable() {
    manager = newManager(Map.of("127.0.0.1:5999", new RegistryHost("127.0.0.1:5999", List.of(),
        true)));
    rkt.fail("docker://127.0.0.1:5999/busybox:latest",
        RktTranscript.find(ERRORS, "fetch from a closed port"));

    CriException failure = pullFailure("127.0.0.1:5999/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure).hasMessageContaining("registry 127.0.0.1:5999 (plain HTTP) is unreachable")
        .hasMessageContaining("connection refused");
  }

  @Test
  void lastEndpointFailureDecidesCode() {
    RegistryHost local = new RegistryHost(LOCAL, List.of(URI.create("http://127.0.0.1:5999")),
        true);
    manager = newManager(Map.of(LOCAL, local));
    rkt.fail("docker://127.0.0.1:5999/busybox:nope",
        RktTranscript.find(ERRORS, "fetch from a closed port"));
    rkt.fail("docker://127.0.0.1:5066/busybox:nope",
        RktTranscript.find(ERRORS, "fetch of a nonexistent docker tag"));

    CriException failure = pullFailure("127.0.0.1:5066/busybox:nope");

    assertThat(failure.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(failure).hasMessageContaining("tried mirror 127.0.0.1:5999 (plain HTTP), "
        + "registry 127.0.0.1:5066 (plain HTTP)");
  }

  @Test
  void unauthorizedIsPermissionDenied() {
    // Not recorded from rkt: docker2aci in rkt 1.30.0 formats an HTTP status error this way.
    rkt.fail(LATEST_URL, 254,
        "fetch: Unexpected HTTP code: 401, URL: http://127.0.0.1:5066/v2/busybox/manifests/latest");

    CriException failure = pullFailure("127.0.0.1:5066/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure).hasMessageContaining("unauthorized");
  }

  @Test
  void unauthorizedMirrorStopsThePull() {
    RegistryHost local = new RegistryHost(LOCAL, List.of(URI.create("http://127.0.0.1:5000")),
        true);
    manager = newManager(Map.of(LOCAL, local));
    rkt.fail("docker://127.0.0.1:5000/busybox:latest", 254,
        "fetch: Unexpected HTTP code: 401, URL: http://127.0.0.1:5000/v2/");
    serveRecordedBusybox();

    CriException failure = pullFailure("127.0.0.1:5066/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(rkt.calls("fetch")).hasSize(1);
  }

  @Test
  void timeoutIsDeadlineExceeded() {
    rkt.timeOut(LATEST_URL);

    CriException failure = pullFailure("127.0.0.1:5066/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(failure).hasMessageContaining("timed out");
  }

  @Test
  void timeoutDoesNotTryNextEndpoint() {
    RegistryHost local = new RegistryHost(LOCAL, List.of(URI.create("http://127.0.0.1:5000")),
        true);
    manager = newManager(Map.of(LOCAL, local));
    rkt.timeOut("docker://127.0.0.1:5000/busybox:latest");
    serveRecordedBusybox();

    CriException failure = pullFailure("127.0.0.1:5066/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(rkt.calls("fetch")).hasSize(1);
  }

  @Test
  void plainHttpRegistryExplainsFix() {
    manager = newManager(Map.of());
    rkt.fail("docker://127.0.0.1:5066/busybox:latest",
        RktTranscript.find(ERRORS, "fetch docker image without insecure http option"));

    CriException failure = pullFailure("127.0.0.1:5066/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(failure).hasMessageContaining("configure 127.0.0.1:5066 as an insecure registry");
  }

  @Test
  void otherFailureIsUnknownWithReason() {
    rkt.fail(LATEST_URL, RktTranscript.find(ERRORS, "fetch of a missing local ACI file"));

    CriException failure = pullFailure("127.0.0.1:5066/busybox");

    assertThat(failure.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(failure).hasMessageContaining("failed to pull image 127.0.0.1:5066/busybox:latest")
        .hasMessageContaining("open /nonexistent.aci: no such file or directory");
  }

  @Test
  void failedPullRecordsNothing() {
    rkt.fail(LATEST_URL, RktTranscript.find(ERRORS, "fetch of a nonexistent docker tag"));

    pullFailure("127.0.0.1:5066/busybox");

    assertThat(index.images()).isEmpty();
    assertThat(store.images()).isEmpty();
  }
}
