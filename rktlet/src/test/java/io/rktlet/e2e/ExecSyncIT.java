package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ExecSyncRequest;
import io.rktlet.cri.v1.ExecSyncResponse;
import io.rktlet.cri.v1.PodSandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ExecSync runs a command in a running container and returns its output and exit code. */
class ExecSyncIT extends RktletTestBase {
  /** Maximum bytes of stdout, and of stderr, that ExecSync returns. */
  private static final int MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

  private Path workingDirectory;
  private String containerId;

  @BeforeEach
  void startContainer() throws Exception {
    pull("busybox");
    PodSandboxConfig pod = podConfig("exec");
    String podId = runPod(pod);
    workingDirectory = Files.createDirectories(dir.resolve("work")).toRealPath();
    ContainerConfig config = Requests.container("app", "busybox", List.of("/bin/sleep",
        "27182")).toBuilder().setWorkingDir(workingDirectory.toString()).build();
    containerId = startContainer(podId, pod, config);
  }

  @Test
  void returnsOutputAndExitCode() {
    ExecSyncResponse response = execSync(10, "/bin/sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(response.getStdout().toStringUtf8()).isEqualTo("out\n");
    assertThat(response.getStderr().toStringUtf8()).isEqualTo("err\n");
    assertThat(response.getExitCode()).isEqualTo(3);
  }

  @Test
  void timeoutKillsCommandAndItsChildren() throws Exception {
    long start = System.nanoTime();
    StatusRuntimeException error = catchThrowableOfType(() -> execSync(1, "/bin/sh", "-c",
        "sleep 31415.27 & sleep 31415.28; echo unreachable"), StatusRuntimeException.class);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(error).isNotNull();
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(error.getStatus().getDescription()).contains("timed out after 1 s");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    // SIGKILL of the process group reaches both sleeps, in the foreground and the background.
    await(() -> TestProcesses.running("sleep 31415.2"), List::isEmpty, Duration.ofSeconds(5));
  }

  @Test
  void backgroundChildOutlivesTheCall() throws Exception {
    long start = System.nanoTime();
    ExecSyncResponse response = execSync(10, "/bin/sh", "-c", "sleep 31416.5 & echo done");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.getStdout().toStringUtf8()).isEqualTo("done\n");
    assertThat(response.getExitCode()).isZero();
    // The sleep holds stdout and stderr open. Both share one 2 s grace after the command's
    // exit: a grace per stream made this take 4 s and more.
    assertThat(took).isLessThan(Duration.ofMillis(3900));
    // Like runc, an exec that ended normally leaves its background processes running.
    assertThat(TestProcesses.running("sleep 31416.5")).hasSize(1);
  }

  @Test
  void concurrentCallsGetTheirOwnOutput() throws Exception {
    // Each call's cgroup handshake must find its own stopped supervisor among the others.
    List<CompletableFuture<ExecSyncResponse>> calls = IntStream.range(0, 8)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> execSync(30, "/bin/sh", "-c",
            "echo call-" + i + "; exit " + i)))
        .toList();

    for (int i = 0; i < calls.size(); i++) {
      ExecSyncResponse response = calls.get(i).get(60, TimeUnit.SECONDS);
      assertThat(response.getStdout().toStringUtf8()).isEqualTo("call-" + i + "\n");
      assertThat(response.getExitCode()).isEqualTo(i);
    }
  }

  @Test
  void missingProgramExitsWith127() {
    ExecSyncResponse response = execSync(10, "no-such-program-4711");

    assertThat(response.getExitCode()).isEqualTo(127);
    assertThat(response.getStderr().toStringUtf8()).contains("no-such-program-4711");
    assertThat(response.getStdout().toStringUtf8()).isEmpty();
  }

  @Test
  void outputBeyond16MiBIsCapped() throws Exception {
    // Each stream gets 20 MiB, and the command still ends normally: the rest is read and
    // dropped, so the command never blocks on a full pipe.
    String command = "yes out | head -c 20971520 & yes err | head -c 20971520 >&2; wait";
    ExecSyncResponse response;
    // The response carries 32 MiB, more than the kubelet's 16 MiB limit, so this client takes
    // larger responses to see the cap itself.
    try (CriClient bigResponses = new CriClient(rktlet.socket(), 1024 * 1024,
        3 * MAX_OUTPUT_BYTES)) {
      response = bigResponses.runtime().execSync(ExecSyncRequest.newBuilder()
          .setContainerId(containerId).addAllCmd(List.of("/bin/sh", "-c", command))
          .setTimeout(60).build());
    }

    assertThat(response.getExitCode()).isZero();
    assertThat(response.getStdout().size()).isEqualTo(MAX_OUTPUT_BYTES);
    assertThat(response.getStderr().size()).isEqualTo(MAX_OUTPUT_BYTES);
    // Compared as booleans, so that a failure does not print 16 MiB of text.
    assertThat(response.getStdout().toString(StandardCharsets.US_ASCII)
        .equals("out\n".repeat(MAX_OUTPUT_BYTES / 4))).as("stdout is the output's start").isTrue();
    assertThat(response.getStderr().toString(StandardCharsets.US_ASCII)
        .equals("err\n".repeat(MAX_OUTPUT_BYTES / 4))).as("stderr is the output's start").isTrue();
  }

  @Test
  void commandSeesContainerEnvironmentAndWorkingDirectory() {
    ExecSyncResponse response = execSync(10, "/bin/sh", "-c", "echo \"$GREETING\"; pwd");

    assertThat(response.getStdout().toStringUtf8())
        .isEqualTo("hello\n" + workingDirectory + "\n");
    assertThat(response.getExitCode()).isZero();
  }

  private ExecSyncResponse execSync(long timeoutSeconds, String... command) {
    return cri.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
        .addAllCmd(List.of(command)).setTimeout(timeoutSeconds).build());
  }
}
