package io.rktlet.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.rktlet.config.HostPort;
import io.rktlet.cri.v1.ImageServiceGrpc;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.ListMetricDescriptorsRequest;
import io.rktlet.cri.v1.ListPodSandboxMetricsRequest;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.PullImageResponse;
import io.rktlet.cri.v1.RuntimeServiceGrpc;
import io.rktlet.cri.v1.StatusRequest;
import io.rktlet.cri.v1.StatusResponse;
import io.rktlet.cri.v1.VersionRequest;
import io.rktlet.cri.v1.VersionResponse;
import io.rktlet.errors.CriException;
import io.rktlet.server.CallInterceptor;
import io.rktlet.server.UnixSocketServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRI calls through the real UNIX socket server with rktlet's interceptors, scraped over HTTP
 * from the metrics server.
 */
class MetricsEndpointTest {
  private static final long PULLED_IMAGE_BYTES = 2_128_896;

  @TempDir
  Path dir;

  private Metrics metrics;
  private UnixSocketServer server;
  private MetricsServer metricsServer;
  private EpollEventLoopGroup clientGroup;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    metrics = new Metrics();
    metrics.imageSizes(imageId -> imageId.equals("sha256:pulled")
        ? OptionalLong.of(PULLED_IMAGE_BYTES) : OptionalLong.empty());
    List<BindableService> services = List.of(new TrivialRuntime(), new TrivialImages());
    List<ServerInterceptor> interceptors =
        List.of(new CallInterceptor(), new MetricsInterceptor(metrics));
    Path socket = dir.resolve("rktlet.sock");
    server = new UnixSocketServer(socket, services, interceptors);
    server.start();
    metricsServer = MetricsServer.start(new HostPort("127.0.0.1", 0), metrics);
    clientGroup = new EpollEventLoopGroup(1);
    channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(clientGroup)
        .usePlaintext()
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    metricsServer.close();
    server.stop(1);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private ImageServiceGrpc.ImageServiceBlockingStub images() {
    return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private Scrape scrape() throws Exception {
    HostPort address = metricsServer.address();
    return Scrape.of(URI.create("http://" + address + "/metrics"));
  }

  @Test
  void callsCountedByMethodAndCode() throws Exception {
    runtime().version(VersionRequest.getDefaultInstance());
    runtime().version(VersionRequest.getDefaultInstance());
    assertThatThrownBy(() -> runtime().status(StatusRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);

    Scrape scrape = scrape();

    assertThat(scrape.value("rktlet_cri_requests_total",
        Map.of("method", "Version", "code", "OK"))).isEqualTo(2);
    assertThat(scrape.value("rktlet_cri_requests_total",
        Map.of("method", "Status", "code", "NOT_FOUND"))).isEqualTo(1);
  }

  @Test
  void latencyHistogramHasBucketsPerMethod() throws Exception {
    runtime().version(VersionRequest.getDefaultInstance());
    runtime().version(VersionRequest.getDefaultInstance());
    runtime().version(VersionRequest.getDefaultInstance());

    Scrape scrape = scrape();

    String name = "rktlet_cri_request_duration_seconds";
    assertThat(scrape.value(name + "_count", Map.of("method", "Version"))).isEqualTo(3);
    assertThat(scrape.value(name + "_sum", Map.of("method", "Version"))).isPositive();
    assertThat(scrape.value(name + "_bucket", Map.of("method", "Version", "le", "+Inf")))
        .isEqualTo(3);
    assertThat(scrape.value(name + "_bucket", Map.of("method", "Version", "le", "300.0")))
        .isEqualTo(3);
    assertThat(scrape.value(name + "_bucket", Map.of("method", "Version", "le", "0.001")))
        .isBetween(0.0, 3.0);
  }

  @Test
  void metricsCallsStayUnimplemented() throws Exception {
    assertThatThrownBy(() -> runtime().listMetricDescriptors(
        ListMetricDescriptorsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
            e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    assertThatThrownBy(() -> runtime().listPodSandboxMetrics(
        ListPodSandboxMetricsRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
            e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));

    Scrape scrape = scrape();

    assertThat(scrape.value("rktlet_cri_requests_total",
        Map.of("method", "ListMetricDescriptors", "code", "UNIMPLEMENTED"))).isEqualTo(1);
    assertThat(scrape.value("rktlet_cri_requests_total",
        Map.of("method", "ListPodSandboxMetrics", "code", "UNIMPLEMENTED"))).isEqualTo(1);
  }

  @Test
  void imagePullsCountedWithFailuresAndBytes() throws Exception {
    images().pullImage(pull("busybox"));
    images().pullImage(pull("busybox"));
    assertThatThrownBy(() -> images().pullImage(pull("missing")))
        .isInstanceOf(StatusRuntimeException.class);

    Scrape scrape = scrape();

    assertThat(scrape.value("rktlet_image_pulls_total")).isEqualTo(3);
    assertThat(scrape.value("rktlet_image_pull_failures_total")).isEqualTo(1);
    assertThat(scrape.value("rktlet_image_pull_bytes_total")).isEqualTo(2 * PULLED_IMAGE_BYTES);
    assertThat(scrape.value("rktlet_cri_requests_total",
        Map.of("method", "PullImage", "code", "NOT_FOUND"))).isEqualTo(1);
  }

  @Test
  void gaugesReadSuppliersAtScrape() throws Exception {
    metrics.podStates(() -> Map.of("ready", 2L, "notready", 1L));
    metrics.containerStates(() -> Map.of("running", 3L, "exited", 0L));
    metrics.streamingSessionOpened();
    metrics.streamingSessionOpened();
    metrics.streamingSessionClosed();
    metrics.logRecords(() -> 42);

    Scrape scrape = scrape();

    assertThat(scrape.value("rktlet_pods", Map.of("state", "ready"))).isEqualTo(2);
    assertThat(scrape.value("rktlet_pods", Map.of("state", "notready"))).isEqualTo(1);
    assertThat(scrape.value("rktlet_containers", Map.of("state", "running"))).isEqualTo(3);
    assertThat(scrape.value("rktlet_containers", Map.of("state", "exited"))).isZero();
    assertThat(scrape.value("rktlet_streaming_sessions")).isEqualTo(1);
    assertThat(scrape.value("rktlet_log_records_total")).isEqualTo(42);
  }

  @Test
  void jvmMetricsIncluded() throws Exception {
    Scrape scrape = scrape();

    assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
    assertThat(scrape.has("jvm_threads_current")).isTrue();
    assertThat(scrape.has("process_cpu_seconds_total")).isTrue();
  }

  private static PullImageRequest pull(String image) {
    return PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(image))
        .build();
  }

  /** Version returns a response; Status fails with NOT_FOUND; everything else is UNIMPLEMENTED. */
  private static final class TrivialRuntime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> reply) {
      reply.onNext(VersionResponse.newBuilder().setRuntimeName("rkt").build());
      reply.onCompleted();
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> reply) {
      throw CriException.notFound("nothing to report");
    }
  }

  /** PullImage of busybox succeeds with image sha256:pulled; any other image is not found. */
  private static final class TrivialImages extends ImageServiceGrpc.ImageServiceImplBase {
    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> reply) {
      if (!request.getImage().getImage().equals("busybox")) {
        throw CriException.notFound("image " + request.getImage().getImage() + " not found");
      }
      reply.onNext(PullImageResponse.newBuilder().setImageRef("sha256:pulled").build());
      reply.onCompleted();
    }
  }
}
