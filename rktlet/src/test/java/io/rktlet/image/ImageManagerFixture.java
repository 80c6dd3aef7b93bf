package io.rktlet.image;

import io.rktlet.config.RegistryHost;
import io.rktlet.cri.v1.AuthConfig;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ImageStatusResponse;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.RemoveImageRequest;
import io.rktlet.state.StateIndex;
import io.rktlet.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image manager on a real store in a temporary directory, with rkt played by {@link FakeRkt}.
 * The recorded local registry 127.0.0.1:5066 is configured as a plain-HTTP registry.
 */
abstract class ImageManagerFixture {
  static final String LOCAL = "127.0.0.1:5066";
  static final String LATEST_URL = "docker://127.0.0.1:5066/busybox:latest";
  static final String V2_URL = "docker://127.0.0.1:5066/busybox:v2";
  static final String DIGEST_URL =
      "docker://127.0.0.1:5066/busybox@" + RecordedImages.BUSYBOX_DIGEST;

  @TempDir Path stateDir;

  final FakeRkt rkt = new FakeRkt();
  Store store;
  StateIndex index;
  ImageManager manager;

  @BeforeEach
  void openStore() throws Exception {
    store = Store.open(stateDir);
    index = new StateIndex();
    manager = newManager(Map.of(LOCAL, new RegistryHost(LOCAL, List.of(), true)));
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  ImageManager newManager(Map<String, RegistryHost> registries) {
    return new ImageManager(rkt.cli(), store, index, registries, credentialsRoot(),
        Duration.ofMinutes(1));
  }

  Path credentialsRoot() {
    return stateDir.resolve("pull-credentials");
  }

  String pull(String image) {
    return manager.pullImage(pullRequest(image).build()).getImageRef();
  }

  String pull(String image, AuthConfig auth) {
    return manager.pullImage(pullRequest(image).setAuth(auth).build()).getImageRef();
  }

  static PullImageRequest.Builder pullRequest(String image) {
    return PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image));
  }

  ImageStatusResponse status(String image) {
    return manager.imageStatus(ImageStatusRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(image)).build());
  }

  void remove(String image) {
    manager.removeImage(RemoveImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(image)).build());
  }

  /** Serves busybox:latest, busybox:v2 and busybox@digest as the recorded registry did. */
  void serveRecordedBusybox() {
    rkt.serve(LATEST_URL, RecordedImages.busyboxLatest());
    rkt.serve(V2_URL, RecordedImages.busyboxV2());
    rkt.serve(DIGEST_URL, RecordedImages.busyboxByDigest());
  }
}
