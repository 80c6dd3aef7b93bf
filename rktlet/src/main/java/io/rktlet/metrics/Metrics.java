package io.rktlet.metrics;

import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * rktlet's Prometheus registry: the standard JVM metrics plus CRI calls, rkt invocations, pod
 * and container states, image pulls, container log records and streaming sessions. Every
 * metric name starts with {@code rktlet_}.
 */
public final class Metrics {
  /** Upper bounds of CRI call latency buckets, in seconds; PullImage may take minutes. */
  static final double[] CRI_LATENCY_BUCKETS_SECONDS =
      {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  /** Upper bounds of rkt invocation latency buckets, in seconds. */
  static final double[] RKT_LATENCY_BUCKETS_SECONDS =
      {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

  /** How a rkt process ended, the {@code outcome} label of {@code rktlet_rkt_invocations}. */
  public enum RktOutcome {
    /** Exit status 0. */
    SUCCESS,
    /** A non-zero exit status. */
    FAILURE,
    /** Killed because its deadline passed. */
    TIMEOUT,
    /** The program could not be started. */
    ERROR;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter criRequests;
  private final Histogram criLatency;
  private final Counter rktInvocations;
  private final Histogram rktLatency;
  private final Counter imagePulls;
  private final Counter imagePullFailures;
  private final Counter imagePullBytes;
  private final Gauge streamingSessions;
  private volatile Supplier<Map<String, Long>> podStates = Map::of;
  private volatile Supplier<Map<String, Long>> containerStates = Map::of;
  private volatile LongSupplier logRecords = () -> 0;
  private volatile Function<String, OptionalLong> imageSizes = imageId -> OptionalLong.empty();

  public Metrics() {
    JvmMetrics.builder().register(registry);
    criRequests = Counter.builder()
        .name("rktlet_cri_requests_total")
        .help("CRI calls that finished, by method and gRPC status code")
        .labelNames("method", "code")
        .register(registry);
    criLatency = Histogram.builder()
        .name("rktlet_cri_request_duration_seconds")
        .help("Time from the start of a CRI call to its status, by method")
        .unit(Unit.SECONDS)
        .labelNames("method")
        .classicOnly()
        .classicUpperBounds(CRI_LATENCY_BUCKETS_SECONDS)
        .register(registry);
    rktInvocations = Counter.builder()
        .name("rktlet_rkt_invocations_total")
        .help("rkt processes that rktlet ran to completion, by subcommand and outcome "
            + "(success, failure, timeout, error)")
        .labelNames("subcommand", "outcome")
        .register(registry);
    rktLatency = Histogram.builder()
        .name("rktlet_rkt_invocation_duration_seconds")
        .help("Run time of one rkt process, by subcommand")
        .unit(Unit.SECONDS)
        .labelNames("subcommand")
        .classicOnly()
        .classicUpperBounds(RKT_LATENCY_BUCKETS_SECONDS)
        .register(registry);
    GaugeWithCallback.builder()
        .name("rktlet_pods")
        .help("Pod sandboxes in rktlet's records, by state")
        .labelNames("state")
        .callback(callback -> podStates.get()
            .forEach((state, count) -> callback.call(count, state)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("rktlet_containers")
        .help("Containers in rktlet's records, by state")
        .labelNames("state")
        .callback(callback -> containerStates.get()
            .forEach((state, count) -> callback.call(count, state)))
        .register(registry);
    imagePulls = Counter.builder()
        .name("rktlet_image_pulls_total")
        .help("PullImage calls that finished, successful or not")
        .register(registry);
    imagePullFailures = Counter.builder()
        .name("rktlet_image_pull_failures_total")
        .help("PullImage calls that failed")
        .register(registry);
    imagePullBytes = Counter.builder()
        .name("rktlet_image_pull_bytes_total")
        .help("Size in rkt's store of the images that PullImage returned")
        .unit(Unit.BYTES)
        .register(registry);
    CounterWithCallback.builder()
        .name("rktlet_log_records_total")
        .help("Container log records written in the CRI log format, up to a few seconds late")
        .callback(callback -> callback.call(logRecords.getAsLong()))
        .register(registry);
    streamingSessions = Gauge.builder()
        .name("rktlet_streaming_sessions")
        .help("Exec and attach sessions, and forwarded port-forward connections, open on the "
            + "streaming server")
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Counts one finished CRI call and observes its latency. */
  public void recordCriCall(String method, Status.Code code, Duration elapsed) {
    criRequests.labelValues(method, code.name()).inc();
    criLatency.labelValues(method).observe(seconds(elapsed));
  }

  /** Counts one rkt process and observes its run time. */
  public void recordRktInvocation(String subcommand, RktOutcome outcome, Duration elapsed) {
    rktInvocations.labelValues(subcommand, outcome.label()).inc();
    rktLatency.labelValues(subcommand).observe(seconds(elapsed));
  }

  /** Counts one PullImage call; {@code bytes} is 0 for a failed pull or an unknown size. */
  public void recordImagePull(boolean succeeded, long bytes) {
    imagePulls.inc();
    if (!succeeded) {
      imagePullFailures.inc();
    }
    if (bytes > 0) {
      imagePullBytes.inc(bytes);
    }
  }

  /** Sets what {@code rktlet_log_records_total} reports, read at every scrape. */
  public void logRecords(LongSupplier supplier) {
    logRecords = supplier;
  }

  public void streamingSessionOpened() {
    streamingSessions.inc();
  }

  public void streamingSessionClosed() {
    streamingSessions.dec();
  }

  /** Sets what {@code rktlet_pods} reports: a count per state, read at every scrape. */
  public void podStates(Supplier<Map<String, Long>> supplier) {
    podStates = supplier;
  }

  /** Sets what {@code rktlet_containers} reports: a count per state, read at every scrape. */
  public void containerStates(Supplier<Map<String, Long>> supplier) {
    containerStates = supplier;
  }

  /** Sets how the size of a pulled image is found from the image ID that PullImage returns. */
  public void imageSizes(Function<String, OptionalLong> lookup) {
    imageSizes = lookup;
  }

  OptionalLong imageSize(String imageId) {
    return imageSizes.apply(imageId);
  }

  private static double seconds(Duration elapsed) {
    return elapsed.toNanos() / 1e9;
  }
}
