package io.rktlet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.config.RegistryHost;
import io.rktlet.cri.v1.Image;
import io.rktlet.errors.CriException;
import io.rktlet.image.FakeRkt.FakeImage;
import io.rktlet.state.ImageRecord;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageManagerPullTest extends ImageManagerFixture {
  private static final String DIGEST = RecordedImages.BUSYBOX_DIGEST;
  private static final String LATEST_ID = RecordedImages.busyboxLatest().id();
  private static final String V2_ID = RecordedImages.busyboxV2().id();
  private static final String BY_DIGEST_ID = RecordedImages.busyboxByDigest().id();

  @Test
  void pullReturnsManifestDigest() {
    serveRecordedBusybox();

    assertThat(pull("127.0.0.1:5066/busybox")).isEqualTo(DIGEST);
  }

  @Test
  void pullFetchesOverPlainHttp() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox");

    List<String> argv = rkt.calls("fetch").get(0);
    assertThat(argv).contains("--insecure-options=image,http");
    assertThat(argv).endsWith(LATEST_URL);
    assertThat(argv).noneMatch(arg -> arg.startsWith("--user-config"));
  }

  @Test
  void pullRecordsTagDigestSizeAndUser() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox");

    Image image = status(DIGEST).getImage();
    assertThat(image.getRepoTagsList()).containsExactly("127.0.0.1:5066/busybox:latest");
    assertThat(image.getRepoDigestsList()).containsExactly("127.0.0.1:5066/busybox@" + DIGEST);
    assertThat(image.getSize()).isEqualTo(2128896);
    assertThat(image.getUid().getValue()).isZero();
  }

  @Test
  void pullWritesStoreAndIndex() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox");

    assertThat(store.images()).extracting(ImageRecord::id).containsExactly(DIGEST);
    assertThat(store.images().get(0).rktImageIds()).containsExactly(LATEST_ID);
    assertThat(index.image(DIGEST)).contains(store.images().get(0));
  }

  @Test
  void secondTagJoinsSameImage() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox:latest");
    String id = pull("127.0.0.1:5066/busybox:v2");

    assertThat(id).isEqualTo(DIGEST);
    ImageRecord record = index.image(DIGEST).orElseThrow();
    assertThat(record.repoTags())
        .containsExactly("127.0.0.1:5066/busybox:latest", "127.0.0.1:5066/busybox:v2");
    assertThat(record.repoDigests()).containsExactly("127.0.0.1:5066/busybox@" + DIGEST);
    assertThat(record.rktImageIds()).containsExactly(LATEST_ID, V2_ID);
    assertThat(record.sizeBytes()).isEqualTo(4138838);
    assertThat(index.images()).hasSize(1);
  }

  @Test
  void digestPullJoinsSameImage() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox:latest");
    String id = pull("127.0.0.1:5066/busybox@" + DIGEST);

    assertThat(id).isEqualTo(DIGEST);
    ImageRecord record = index.image(DIGEST).orElseThrow();
    assertThat(record.repoTags()).containsExactly("127.0.0.1:5066/busybox:latest");
    assertThat(record.repoDigests()).containsExactly("127.0.0.1:5066/busybox@" + DIGEST);
    assertThat(record.rktImageIds()).containsExactly(LATEST_ID, BY_DIGEST_ID);
  }

  @Test
  void tagAndDigestPullFetchesDigest() {
    serveRecordedBusybox();

    String id = pull("127.0.0.1:5066/busybox:v9@" + DIGEST);

    assertThat(id).isEqualTo(DIGEST);
    assertThat(rkt.calls("fetch").get(0)).endsWith(DIGEST_URL);
    assertThat(index.image(DIGEST).orElseThrow().repoTags()).isEmpty();
  }

  @Test
  void repeatedPullKeepsOneRecord() {
    serveRecordedBusybox();

    pull("127.0.0.1:5066/busybox");
    pull("127.0.0.1:5066/busybox");

    ImageRecord record = index.image(DIGEST).orElseThrow();
    assertThat(record.repoTags()).containsExactly("127.0.0.1:5066/busybox:latest");
    assertThat(record.rktImageIds()).containsExactly(LATEST_ID);
    assertThat(rkt.calls("fetch")).hasSize(2);
  }

  @Test
  void numericImageUserBecomesUid() {
    rkt.serve("docker://127.0.0.1:5066/busybox-user:latest", RecordedImages.busyboxUser());

    String id = pull("127.0.0.1:5066/busybox-user");

    assertThat(id).isEqualTo(RecordedImages.BUSYBOX_USER_DIGEST);
    assertThat(status(id).getImage().getUid().getValue()).isEqualTo(1000);
  }

  @Test
  void namedImageUserBecomesUsername() {
    rkt.serve("docker://127.0.0.1:5066/busybox-nobody:latest", RecordedImages.busyboxNobody());

    String id = pull("127.0.0.1:5066/busybox-nobody");

    assertThat(status(id).getImage().getUsername()).isEqualTo("nobody");
    assertThat(status(id).getImage().hasUid()).isFalse();
  }

  @Test
  void missingManifestDigestGivesDerivedId() {
    String manifest = RecordedImages.busyboxLatest().manifestJson()
        .replace("appc.io/docker/manifesthash", "example.com/removed-for-this-test");
    FakeImage image = new FakeImage(LATEST_ID, 2128896, manifest);
    rkt.serve(LATEST_URL, image);

    String id = pull("127.0.0.1:5066/busybox");

    assertThat(id).isEqualTo(ManifestDigest.derivedId(LATEST_ID));
    Image status = status(id).getImage();
    assertThat(status.getRepoTagsList()).containsExactly("127.0.0.1:5066/busybox:latest");
    assertThat(status.getRepoDigestsList()).isEmpty();
  }

  @Test
  void invalidReferenceRunsNoRkt() {
    assertThatThrownBy(() -> pull("127.0.0.1:5066/BusyBox"))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("image.image");
    assertThat(rkt.calls()).isEmpty();
  }

  @Test
  void imageRemovedAfterFetchFailsPull() {
    serveRecordedBusybox();
    rkt.loseBeforeList(LATEST_ID);

    assertThatThrownBy(() -> pull("127.0.0.1:5066/busybox"))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN))
        .hasMessageContaining(LATEST_ID)
        .hasMessageContaining("pull the image again");
    assertThat(index.images()).isEmpty();
  }

  @Test
  void mirrorServesImageUnderOriginalName() {
    RegistryHost k8s = new RegistryHost("registry.k8s.io",
        List.of(URI.create("http://127.0.0.1:5066")), false);
    manager = newManager(Map.of("registry.k8s.io", k8s));
    serveRecordedBusybox();

    String id = pull("registry.k8s.io/busybox:latest");

    assertThat(id).isEqualTo(DIGEST);
    assertThat(rkt.calls("fetch")).hasSize(1);
    assertThat(rkt.calls("fetch").get(0)).endsWith(LATEST_URL);
    assertThat(rkt.calls("fetch").get(0)).contains("--insecure-options=image,http");
    ImageRecord record = index.image(DIGEST).orElseThrow();
    assertThat(record.repoTags()).containsExactly("registry.k8s.io/busybox:latest");
    assertThat(record.repoDigests()).containsExactly("registry.k8s.io/busybox@" + DIGEST);
  }

  @Test
  void unreachableMirrorFallsThrough() {
    RegistryHost k8s = new RegistryHost("registry.k8s.io",
        List.of(URI.create("http://127.0.0.1:5999"), URI.create("http://127.0.0.1:5066")),
        false);
    manager = newManager(Map.of("registry.k8s.io", k8s));
    rkt.fail("docker://127.0.0.1:5999/busybox:latest",
        RktTranscript.find("errors.jsonl", "fetch from a closed port"));
    serveRecordedBusybox();

    String id = pull("registry.k8s.io/busybox:latest");

    assertThat(id).isEqualTo(DIGEST);
    assertThat(rkt.calls("fetch")).extracting(argv -> argv.get(argv.size() - 1))
        .containsExactly("docker://127.0.0.1:5999/busybox:latest", LATEST_URL);
  }

  @Test
  void mirrorWithoutImageFallsThroughToHost() {
    RegistryHost k8s = new RegistryHost("registry.k8s.io",
        List.of(URI.create("http://127.0.0.1:5066")), false);
    manager = newManager(Map.of("registry.k8s.io", k8s));
    rkt.fail("docker://127.0.0.1:5066/pause:3.9",
        RktTranscript.find("errors.jsonl", "fetch of a nonexistent repository"));
    rkt.serve("docker://registry.k8s.io/pause:3.9", RecordedImages.busyboxLatest());

    pull("registry.k8s.io/pause:3.9");

    List<List<String>> fetches = rkt.calls("fetch");
    assertThat(fetches).hasSize(2);
    assertThat(fetches.get(1)).endsWith("docker://registry.k8s.io/pause:3.9");
    assertThat(fetches.get(1)).contains("--insecure-options=image");
  }

  @Test
  void plainHttpMirrorMisconfiguredFallsThrough() {
    RegistryHost k8s = new RegistryHost("registry.k8s.io",
        List.of(URI.create("https://127.0.0.1:5066")), false);
    manager = newManager(Map.of("registry.k8s.io", k8s));
    rkt.fail("docker://127.0.0.1:5066/pause:3.9",
        RktTranscript.find("errors.jsonl", "fetch docker image without insecure http option"));
    rkt.serve("docker://registry.k8s.io/pause:3.9", RecordedImages.busyboxLatest());

    pull("registry.k8s.io/pause:3.9");

    assertThat(rkt.calls("fetch")).hasSize(2);
  }

  @Test
  void dockerHubReferenceFetchesApiHost() {
    manager = newManager(Map.of());
    rkt.serve("docker://registry-1.docker.io/library/busybox:latest",
        RecordedImages.busyboxLatest());

    pull("busybox");

    assertThat(rkt.calls("fetch").get(0))
        .endsWith("docker://registry-1.docker.io/library/busybox:latest")
        .contains("--insecure-options=image");
    assertThat(status("busybox").getImage().getRepoTagsList())
        .containsExactly("docker.io/library/busybox:latest");
  }
}
