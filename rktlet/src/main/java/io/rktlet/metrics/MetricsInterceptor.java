package io.rktlet.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.rktlet.cri.v1.PullImageResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Counts CRI calls by method and gRPC status code, observes their latency, and counts image
 * pulls. It must be the outermost interceptor, so that it sees the status that the error
 * mapping of the inner interceptors chose.
 */
public final class MetricsInterceptor implements ServerInterceptor {
  private static final String PULL_IMAGE = "PullImage";

  private final Metrics metrics;

  public MetricsInterceptor(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    long startNanos = System.nanoTime();
    ServerCall<ReqT, RespT> measured = new SimpleForwardingServerCall<>(call) {
      private volatile Object lastResponse;

      @Override
      public void sendMessage(RespT message) {
        lastResponse = message;
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        // Recorded before the client sees the status, so a scrape right after a call counts it.
        metrics.recordCriCall(method, status.getCode(),
            Duration.ofNanos(System.nanoTime() - startNanos));
        if (method.equals(PULL_IMAGE)) {
          recordPull(status, lastResponse);
        }
        super.close(status, trailers);
      }
    };
    return next.startCall(measured, headers);
  }

  private void recordPull(Status status, Object response) {
    if (!status.isOk() || !(response instanceof PullImageResponse)) {
      metrics.recordImagePull(false, 0);
      return;
    }
    String imageId = ((PullImageResponse) response).getImageRef();
    OptionalLong size = metrics.imageSize(imageId);
    metrics.recordImagePull(true, size.orElse(0));
  }
}
