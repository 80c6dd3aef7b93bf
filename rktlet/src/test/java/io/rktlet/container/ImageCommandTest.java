package io.rktlet.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.rkt.ImageManifest;
import io.rktlet.rkt.RktJson;
import io.rktlet.testing.Transcripts;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageCommandTest {
  private final ImageManifest busybox = RktJson.manifest(Transcripts.find("images.jsonl",
      "cat-manifest of docker-converted busybox:latest (by id)").stdout());

  @Test
  void imageCmdRunsWithoutCommandOrArgs() {
    assertThat(ImageCommand.resolve(busybox, List.of(), List.of())).containsExactly(
        "/bin/sh", "-c", "echo hello-from-docker-image; while true; do sleep 5; done");
  }

  @Test
  void argsReplaceImageCmd() {
    assertThat(ImageCommand.resolve(busybox, List.of(), List.of("sleep", "10")))
        .containsExactly("sleep", "10");
  }

  @Test
  void commandDropsImageCmd() {
    assertThat(ImageCommand.resolve(busybox, List.of("/bin/true"), List.of()))
        .containsExactly("/bin/true");
  }

  @Test
  void commandAndArgsJoin() {
    assertThat(ImageCommand.resolve(busybox, List.of("/bin/echo"), List.of("a", "b")))
        .containsExactly("/bin/echo", "a", "b");
  }

  @Test
  void entrypointStaysWhenOnlyArgsAreGiven() {
    ImageManifest withEntrypoint = new ImageManifest("x", List.of(), null, List.of(
        new ImageManifest.NameValue(ImageCommand.ENTRYPOINT, "[\"/entry\",\"--flag\"]"),
        new ImageManifest.NameValue(ImageCommand.CMD, "[\"default\"]")));

    assertThat(ImageCommand.resolve(withEntrypoint, List.of(), List.of("mine")))
        .containsExactly("/entry", "--flag", "mine");
    assertThat(ImageCommand.resolve(withEntrypoint, List.of(), List.of()))
        .containsExactly("/entry", "--flag", "default");
  }
}
