package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A crash of rktlet in the middle of RunPodSandbox leaves nothing behind after the restart. */
class CrashRecoveryIT extends RktletTestBase {

  @Override
  Map<String, String> rktletEnvironment() {
    // The test double's pods take 3 s to become ready, which leaves time to crash rktlet.
    return Map.of("RKT_FAKE_READY_DELAY_MS", "3000");
  }

  @Test
  void sandboxInterruptedWhileCreatingIsRemoved() throws Exception {
    PodSandboxConfig pod = podConfig("web");
    CompletableFuture<Void> call = CompletableFuture.runAsync(() -> {
      try {
        runPod(pod);
      } catch (RuntimeException expected) {
        // The call fails when rktlet dies under it.
      }
    });
    await(() -> podDirectories().size(), count -> count == 1, Duration.ofSeconds(10));

    restart(true);
    call.join();

    assertThat(cri.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .getItemsList()).isEmpty();
    assertThat(rktlet.log()).contains("rktlet stopped while creating it");
    await(() -> livePods(), List::isEmpty, Duration.ofSeconds(10));
    // The name is free again, so the kubelet's retry succeeds.
    assertThat(runPod(pod)).hasSize(64);
  }

  /** Pod directories of the rkt double that still have a running pod process. */
  private List<Path> livePods() {
    return podDirectories().stream()
        .filter(dir -> !TestProcesses.running(dir.getFileName().toString()).isEmpty()
            || !TestProcesses.running("app sandbox").isEmpty())
        .toList();
  }

  private List<Path> podDirectories() {
    Path pods = rktlet.rktDir().resolve("pods/run");
    if (!Files.isDirectory(pods)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(pods)) {
      return entries.toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
