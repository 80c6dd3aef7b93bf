package io.rktlet.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The one boundary for errors and call logs. It puts the request number, the call name and the
 * sandbox, container or image it concerns into the logging context; logs changing calls at INFO
 * and polling calls at TRACE, on entry and on exit; and turns every exception into a gRPC status.
 */
public final class CallInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(CallInterceptor.class);

  private final AtomicLong requestCounter = new AtomicLong();

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    CallContext context = new CallContext(requestCounter.incrementAndGet(), method,
        CallKinds.isPolling(method) ? Level.TRACE : Level.INFO, System.nanoTime());
    ServerCall<ReqT, RespT> logged = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(RespT message) {
        context.noteResponse(message);
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        context.run(() -> logExit(context, status));
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<ReqT> delegate = context.call(() -> next.startCall(logged, headers));
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(ReqT message) {
        context.noteRequest(message);
        context.run(() -> log(context.level(), "{} started{}", method, context.requestDetails()));
        context.run(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        context.run(() -> {
          try {
            super.onHalfClose();
          } catch (RuntimeException | Error e) {
            logged.close(ErrorMapping.toStatus(method, e), new Metadata());
          }
        });
      }
    };
  }

  private static void logExit(CallContext context, Status status) {
    long millis = context.elapsedMillis();
    if (status.isOk()) {
      log(context.level(), "{} finished in {} ms{}", context.method(), millis,
          context.responseDetails());
      return;
    }
    Level level = ErrorMapping.isClientError(status.getCode()) ? Level.WARN : Level.ERROR;
    log(level, "{} failed in {} ms with {}: {}", context.method(), millis, status.getCode(),
        status.getDescription());
  }

  private static void log(Level level, String format, Object... args) {
    log.atLevel(level).log(format, args);
  }

  /** Logging context of one call; MDC is per thread, so every listener step sets it again. */
  private static final class CallContext {
    private final long requestNumber;
    private final String method;
    private final Level level;
    private final long startNanos;
    private volatile Map<String, String> requestIds = Map.of();
    private volatile Map<String, String> responseIds = Map.of();

    CallContext(long requestNumber, String method, Level level, long startNanos) {
      this.requestNumber = requestNumber;
      this.method = method;
      this.level = level;
      this.startNanos = startNanos;
    }

    String method() {
      return method;
    }

    Level level() {
      return level;
    }

    long elapsedMillis() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }

    void noteRequest(Object message) {
      requestIds = RequestIds.of(message);
    }

    void noteResponse(Object message) {
      responseIds = RequestIds.of(message);
    }

    String requestDetails() {
      return RequestIds.format(requestIds);
    }

    String responseDetails() {
      return RequestIds.format(responseIds);
    }

    <T> T call(java.util.function.Supplier<T> body) {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      MDC.put("rpc", method);
      MDC.put("req", Long.toString(requestNumber));
      requestIds.forEach(MDC::put);
      try {
        return body.get();
      } finally {
        if (previous == null) {
          MDC.clear();
        } else {
          MDC.setContextMap(previous);
        }
      }
    }

    void run(Runnable body) {
      call(() -> {
        body.run();
        return null;
      });
    }
  }
}
