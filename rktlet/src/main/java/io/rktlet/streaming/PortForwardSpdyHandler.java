package io.rktlet.streaming;

import io.netty.channel.Channel;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port forwarding over SPDY. For each connection the client creates two streams with the same
 * {@code requestID} and {@code port} headers: an error stream and a data stream. One session
 * carries any number of connections, to any ports.
 */
final class PortForwardSpdyHandler implements SpdySession.Listener {
  private static final Logger log = LoggerFactory.getLogger(PortForwardSpdyHandler.class);
  static final String DATA = "data";
  static final String ERROR = "error";

  private final StreamingContext context;
  private final String podSandboxId;
  private final String transport;
  private final Channel channel;
  private final ReadThrottle throttle;
  /** Pairs still waiting for their second stream. Confined to the event loop. */
  private final Map<String, StreamPair> waitingPairs = new HashMap<>();
  private final Set<PortForwarder> forwarders = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();

  /** The error and data streams of one forwarded connection. */
  private static final class StreamPair {
    final String requestId;
    SpdyStream error;
    SpdyStream data;
    InboundPipe input;
    ScheduledFuture<?> timeout;

    StreamPair(String requestId) {
      this.requestId = requestId;
    }
  }

  /** @param transport names the protocol in log lines */
  PortForwardSpdyHandler(StreamingContext context, String podSandboxId, String transport,
      Channel channel) {
    this.context = context;
    this.podSandboxId = podSandboxId;
    this.transport = transport;
    this.channel = channel;
    this.throttle = new ReadThrottle(channel);
  }

  void start() {
    log.info("Started port forwarding to pod sandbox {} ({})", podSandboxId, transport);
  }

  @Override
  public boolean streamOpened(SpdyStream stream) {
    Integer port = Ports.parse(stream.header("port"));
    String type = stream.header("streamtype");
    if (port == null || !(DATA.equals(type) || ERROR.equals(type))) {
      log.warn("Rejecting stream {} for pod sandbox {}: port {} or streamType {} is invalid",
          stream.id(), podSandboxId, stream.header("port"), type);
      return false;
    }
    String requestId = requestIdOf(stream, type);
    StreamPair pair = waitingPairs.computeIfAbsent(requestId, this::newPair);
    if (DATA.equals(type) ? pair.data != null : pair.error != null) {
      log.warn("Rejecting a second {} stream for request {} to pod sandbox {}", type,
          requestId, podSandboxId);
      return false;
    }
    if (DATA.equals(type)) {
      pair.data = stream;
      pair.input = new InboundPipe(throttle);
      stream.setSink(pair.input);
    } else {
      pair.error = stream;
    }
    if (pair.data != null && pair.error != null) {
      waitingPairs.remove(requestId);
      pair.timeout.cancel(false);
      startForwarding(pair, port);
    }
    return true;
  }

  /**
   * Returns the stream's request ID. Clients before Kubernetes 1.6 sent none; like the kubelet,
   * this then pairs an error stream with the data stream created right after it.
   */
  private static String requestIdOf(SpdyStream stream, String type) {
    String requestId = stream.header("requestid");
    if (requestId != null) {
      return requestId;
    }
    int errorStreamId = ERROR.equals(type) ? stream.id() : stream.id() - 2;
    return "stream-" + errorStreamId;
  }

  private StreamPair newPair(String requestId) {
    StreamPair pair = new StreamPair(requestId);
    pair.timeout = channel.eventLoop().schedule(() -> pairTimedOut(pair),
        context.options().streamCreationTimeout().toNanos(), TimeUnit.NANOSECONDS);
    return pair;
  }

  private void pairTimedOut(StreamPair pair) {
    waitingPairs.remove(pair.requestId, pair);
    String message = "timed out waiting for the " + (pair.data == null ? DATA : ERROR)
        + " stream of request " + pair.requestId;
    log.warn("Dropping port-forward request to pod sandbox {}: {}", podSandboxId, message);
    if (pair.error != null) {
      pair.error.writeAndFinish(message.getBytes(StandardCharsets.UTF_8));
    }
    if (pair.data != null) {
      pair.data.reset(SpdyStreamStatus.CANCEL);
    }
  }

  private void startForwarding(StreamPair pair, int port) {
    connections.incrementAndGet();
    PortForwarder forwarder =
        new PortForwarder(context, podSandboxId, port, new SpdyClientSide(pair));
    forwarders.add(forwarder);
    context.sessionExecutor().submit(() -> {
      try {
        forwarder.run();
      } finally {
        forwarders.remove(forwarder);
      }
    });
  }

  @Override
  public void sessionClosed() {
    for (StreamPair pair : waitingPairs.values()) {
      pair.timeout.cancel(false);
    }
    waitingPairs.clear();
    for (PortForwarder forwarder : forwarders) {
      forwarder.abort();
    }
    log.info("Finished port forwarding to pod sandbox {} ({} connections forwarded)", podSandboxId,
        connections.get());
  }

  /** The client side of one forwarded connection: its data and error streams. */
  private static final class SpdyClientSide implements PortForwarder.ClientSide {
    private final StreamPair pair;
    private final OutputStream output;

    SpdyClientSide(StreamPair pair) {
      this.pair = pair;
      this.output = pair.data.output();
    }

    @Override
    public InputStream input() {
      return pair.input;
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void reportError(String message) {
      pair.error.writeAndFinish(message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void finish() {
      pair.input.close();
      pair.data.finish();
      pair.error.finish();
    }
  }
}
