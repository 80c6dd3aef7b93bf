package io.rktlet.e2e;

import io.rktlet.cri.v1.ContainerStatusRequest;
import io.rktlet.cri.v1.ListContainersRequest;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.cri.v1.ListPodSandboxRequest;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxStatusRequest;
import io.rktlet.cri.v1.StartContainerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latency of the calls the kubelet polls, answered from memory, on a node with 100 pods of 3
 * containers each, measured through the real socket. Run with {@code mvn -Pbenchmark verify};
 * it prints p50 and p99 and writes them to {@code target/benchmark-list-latency.txt}. One run
 * measures twice: with the default reconcile interval, whose "rkt list" runs compete for the
 * CPUs, and after a restart with the reconciler idle.
 */
class ListLatencyBenchmark {
  private static final int PODS = 100;
  private static final int CONTAINERS_PER_POD = 3;
  private static final int WARMUP_CALLS = 2000;
  private static final int MEASURED_CALLS = 5000;
  private static final int DEFAULT_RECONCILE_SECONDS = 2;
  /** The JVM tuning of the distribution's launcher, so the figures are those of an install. */
  private static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  @TempDir
  Path dir;

  @Test
  void pollingCallsOnHundredPods() throws Exception {
    StringBuilder report = new StringBuilder();
    List<String> pods = new ArrayList<>();
    List<String> containers = new ArrayList<>();
    try (RktletProcess rktlet = new RktletProcess("ListLatencyBenchmark", dir,
        List.of("--reconcile-interval=" + DEFAULT_RECONCILE_SECONDS),
        Map.of("RKT_FAKE_START_LIMIT", "0", "JAVA_TOOL_OPTIONS", JVM_OPTIONS))) {
      // The production reconcile interval: one "rkt list" every 2 s competes for the CPUs.
      rktlet.start();
      try (CriClient cri = new CriClient(rktlet.socket())) {
        cri.images().pullImage(Requests.pull("busybox"));
        populate(cri, pods, containers);
        report.append(String.format(Locale.ROOT,
            "%d pods, %d containers; %d calls after %d warm-up calls, one client thread, "
                + "%d CPUs; rktlet JVM options: %s%n", pods.size(), containers.size(),
            MEASURED_CALLS, WARMUP_CALLS, Runtime.getRuntime().availableProcessors(),
            JVM_OPTIONS));
        report.append(String.format(Locale.ROOT, "one 'rkt list' of the test double: %.0f ms "
            + "(median of 5)%n", medianRktListMillis(rktlet)));
        report.append("\nreconciling every ").append(DEFAULT_RECONCILE_SECONDS)
            .append(" s (the default):\n");
        measureAll(cri, pods, containers, report);
      }
      // The same pods after a restart with the reconciler idle, to show what its runs cost.
      rktlet.terminate();
      rktlet.withArgs(List.of("--reconcile-interval=3600")).start();
      try (CriClient cri = new CriClient(rktlet.socket())) {
        report.append("\nreconciler idle (restarted with --reconcile-interval=3600):\n");
        measureAll(cri, pods, containers, report);
      }
    }
    System.out.print(report);
    Files.writeString(Path.of("target/benchmark-list-latency.txt"), report.toString());
  }

  private static void measureAll(CriClient cri, List<String> pods, List<String> containers,
      StringBuilder report) {
    report.append(measure("ListPodSandbox", i -> cri.runtime().listPodSandbox(
        ListPodSandboxRequest.getDefaultInstance())));
    report.append(measure("ListContainers", i -> cri.runtime().listContainers(
        ListContainersRequest.getDefaultInstance())));
    report.append(measure("PodSandboxStatus", i -> cri.runtime().podSandboxStatus(
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(pods.get(i % pods.size()))
            .build())));
    report.append(measure("ContainerStatus", i -> cri.runtime().containerStatus(
        ContainerStatusRequest.newBuilder()
            .setContainerId(containers.get(i % containers.size())).build())));
    report.append(measure("ListImages", i -> cri.images().listImages(
        ListImagesRequest.getDefaultInstance())));
  }

  /** Runs the double's "rkt list" as the reconciler does and returns the median time. */
  private static double medianRktListMillis(RktletProcess rktlet) throws Exception {
    long[] nanos = new long[5];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      Process list = new ProcessBuilder(RktletProcess.fakeRkt().toString(),
          "--dir=" + rktlet.rktDir(), "list", "--format=json")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (list.waitFor() != 0) {
        throw new IllegalStateException("rkt list of the test double failed");
      }
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos[nanos.length / 2] / 1e6;
  }

  /** Creates the pods in parallel (4 at a time), each with its containers started. */
  private void populate(CriClient cri, List<String> pods, List<String> containers)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(4);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int p = 0; p < PODS; p++) {
      String name = "pod-" + p;
      results.add(workers.submit(() -> {
        PodSandboxConfig pod = Requests.pod(name, dir.resolve("logs").resolve(name));
        String podId = cri.runtime().runPodSandbox(Requests.runPod(pod)).getPodSandboxId();
        List<String> ids = new ArrayList<>(List.of(podId));
        for (int c = 0; c < CONTAINERS_PER_POD; c++) {
          String id = cri.runtime().createContainer(Requests.create(podId,
              Requests.container("c" + c, "busybox", List.of("/bin/sleep", "3600")), pod))
              .getContainerId();
          cri.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id)
              .build());
          ids.add(id);
        }
        return ids;
      }));
    }
    for (Future<List<String>> result : results) {
      List<String> ids = result.get();
      pods.add(ids.get(0));
      containers.addAll(ids.subList(1, ids.size()));
    }
    workers.shutdown();
  }

  private static String measure(String call, IntConsumer request) {
    for (int i = 0; i < WARMUP_CALLS; i++) {
      request.accept(i);
    }
    long[] nanos = new long[MEASURED_CALLS];
    for (int i = 0; i < MEASURED_CALLS; i++) {
      long start = System.nanoTime();
      request.accept(i);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return String.format(Locale.ROOT, "%-17s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms%n",
        call, nanos[MEASURED_CALLS / 2] / 1e6, nanos[MEASURED_CALLS * 99 / 100] / 1e6,
        nanos[MEASURED_CALLS - 1] / 1e6);
  }
}
