package io.rktlet.sandbox;

import io.rktlet.errors.CriException;
import io.rktlet.host.LaunchRequest;
import io.rktlet.host.LaunchedSandbox;
import io.rktlet.host.SandboxLauncher;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktException;
import io.rktlet.rkt.RktFailure;
import io.rktlet.rkt.RktPod;
import io.rktlet.rkt.SandboxSpec;
import io.rktlet.util.Deadlines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Launches {@code rkt app sandbox} and waits until the new pod is ready for apps. */
final class PodStarter {
  private static final Logger log = LoggerFactory.getLogger(PodStarter.class);
  private static final int LOG_TAIL_BYTES = 2000;

  /** A pod that is ready: its UUID, IPv4 address (null on the host network) and process ID. */
  record StartedPod(String uuid, String ip, long pid) {}

  private final RktCli rkt;
  private final SandboxLauncher launcher;
  private final Duration readyTimeout;

  PodStarter(RktCli rkt, SandboxLauncher launcher, Duration readyTimeout) {
    this.rkt = rkt;
    this.launcher = launcher;
    this.readyTimeout = readyTimeout;
  }

  /**
   * Starts the pod. {@code onUuid} is called as soon as rkt has named the pod, so the caller
   * can record it before waiting for readiness.
   */
  StartedPod start(String sandboxId, SandboxSpec spec, Path outputFile, String cgroupParent,
      List<Path> cgroupProcsFiles, Consumer<String> onUuid)
      throws IOException, InterruptedException {
    Duration budget = Deadlines.remainingOr(readyTimeout);
    long deadline = System.nanoTime() + budget.toNanos();
    List<String> argv = rkt.sandboxCommand(spec);
    LaunchedSandbox launched = launcher.launch(
        new LaunchRequest(sandboxId, argv, rkt.environment(), outputFile, cgroupParent,
            cgroupProcsFiles));
    log.info("Launched rkt app sandbox for sandbox {} with the {} launcher (pid {}{})",
        sandboxId, launcher.name(), launched.pid(),
        launched.unitName() == null ? "" : ", unit " + launched.unitName());
    Optional<String> uuid = UuidFile.await(spec.uuidFile(), deadline, launched.exit());
    if (uuid.isEmpty()) {
      killIfRunning(launched);
      throw failure(launched, outputFile, "did not report its pod UUID within "
          + budget.toMillis() + " ms");
    }
    onUuid.accept(uuid.get());
    Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
    try {
      rkt.waitReady(uuid.get(), left.compareTo(Duration.ofMillis(100)) < 0
          ? Duration.ofMillis(100) : left);
    } catch (RktException e) {
      throw failure(launched, outputFile, "did not become ready: " + e.reason());
    }
    // rkt's JSON printed at readiness has been seen without its networks; ask once more.
    RktPod pod = rkt.status(uuid.get()).orElseThrow(() -> CriException.unknown(
        "rkt pod " + uuid.get() + " of sandbox " + sandboxId + " vanished after becoming ready",
        null));
    long pid = rkt.podPid(uuid.get()).orElse(launched.pid());
    return new StartedPod(uuid.get(), pod.firstIp(), pid);
  }

  private static CriException failure(LaunchedSandbox launched, Path outputFile, String what) {
    String exit = launched.exit().isDone() ? " (it exited with code "
        + launched.exit().getNow(-1) + ")" : "";
    return CriException.unknown("rkt app sandbox " + what + exit + "; its output ends with: "
        + tail(outputFile), null);
  }

  private static void killIfRunning(LaunchedSandbox launched) {
    if (launched.pid() > 0) {
      ProcessHandle.of(launched.pid()).ifPresent(process -> {
        log.warn("Killing rkt app sandbox (pid {}) that never reported a pod UUID",
            launched.pid());
        process.destroyForcibly();
      });
    }
  }

  static String tail(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      int from = Math.max(0, bytes.length - LOG_TAIL_BYTES);
      return new String(bytes, from, bytes.length - from).strip();
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Returns true when rkt says the pod is unknown, which cleanup treats as done. */
  static boolean isGone(RktException e) {
    return e.failure() == RktFailure.POD_NOT_FOUND;
  }
}
