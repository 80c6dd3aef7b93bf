package io.rktlet.streaming;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.AttachResponse;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.ExecResponse;
import io.rktlet.cri.v1.PortForwardRequest;
import io.rktlet.cri.v1.PortForwardResponse;
import io.rktlet.errors.CriException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server behind the CRI Exec, Attach and PortForward calls. Each call validates its
 * request and returns a URL with a single-use token. The client then connects to that URL and
 * upgrades to SPDY/3.1 or WebSocket, where it speaks the Kubernetes remote-command or
 * port-forward protocol. Commands and connections run through {@link StreamingRuntime}, one
 * thread each.
 */
public final class StreamingServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamingServer.class);
  /** Upgrade requests have no body; their headers fit easily. */
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final WriteBufferWaterMark WRITE_WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  private final StreamingOptions options;
  private final StreamingRuntime runtime;
  private final StreamRequests requests;
  private final TokenCache<PendingStream> tokens;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private ExecutorService sessionExecutor;
  private Channel serverChannel;
  /** Scheme, host and port of issued URLs; null until started. */
  private volatile String baseUrl;

  public StreamingServer(StreamingOptions options, StreamingRuntime runtime,
      StreamTargets targets) {
    this(options, runtime, targets, Clock.systemUTC());
  }

  /** @param clock decides when issued URLs expire */
  public StreamingServer(StreamingOptions options, StreamingRuntime runtime,
      StreamTargets targets, Clock clock) {
    this.options = options;
    this.runtime = runtime;
    this.requests = new StreamRequests(targets);
    this.tokens = new TokenCache<>(clock, options.tokenTtl(), options.maxPendingTokens(),
        new SecureRandom());
  }

  /**
   * Binds the configured address and starts serving; returns the bound address.
   *
   * @throws IOException when the address cannot be bound or the TLS files cannot be read
   * @throws IllegalArgumentException when the configured address is not HOST:PORT
   */
  public synchronized InetSocketAddress start() throws IOException {
    if (serverChannel != null) {
      throw new IllegalStateException("streaming server already started at " + baseUrl);
    }
    ServerAddress address = ServerAddress.parse(options.address());
    SslContext ssl = options.tlsEnabled() ? newSslContext() : null;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    bossGroup = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("rktlet-streaming-accept", true), ioHandlers);
    workerGroup = new MultiThreadIoEventLoopGroup(0,
        new DefaultThreadFactory("rktlet-streaming-io", true), ioHandlers);
    sessionExecutor =
        Executors.newCachedThreadPool(new DefaultThreadFactory("rktlet-stream-session", true));
    StreamingContext context = new StreamingContext(runtime, options, sessionExecutor);
    ServerBootstrap bootstrap = newBootstrap(channelType, ssl, context);
    try {
      serverChannel = bootstrap.bind(address.host(), address.port()).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IOException("interrupted while binding " + options.address(), e);
    } catch (Exception e) {
      stop();
      throw new IOException("failed to bind the streaming server to " + options.address()
          + ": " + e.getMessage(), e);
    }
    InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
    baseUrl = (ssl != null ? "https://" : "http://") + address.urlHost(bound) + ":"
        + bound.getPort();
    log.info("Serving exec, attach and port forwarding at {} ({} transport)", baseUrl,
        epoll ? "epoll" : "NIO");
    return bound;
  }

  private ServerBootstrap newBootstrap(Class<? extends ServerChannel> channelType,
      SslContext ssl, StreamingContext context) {
    return new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(channelType)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_WATER_MARK)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            initConnection(channel, ssl, context);
          }
        });
  }

  private void initConnection(SocketChannel channel, SslContext ssl, StreamingContext context) {
    ChannelPipeline pipeline = channel.pipeline();
    if (ssl != null) {
      pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
    }
    pipeline.addLast("idle", new IdleCloser(options.idleTimeout()));
    pipeline.addLast("writability", WritabilityWaiter.install(channel));
    pipeline.addLast(StreamRouter.HTTP_CODEC, new HttpServerCodec());
    pipeline.addLast(StreamRouter.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES));
    pipeline.addLast("router", new StreamRouter(tokens, context));
  }

  private SslContext newSslContext() throws IOException {
    try {
      return SslContextBuilder
          .forServer(options.tlsCertificate().toFile(), options.tlsKey().toFile())
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("failed to load the streaming TLS certificate "
          + options.tlsCertificate() + " and key " + options.tlsKey() + ": " + e.getMessage(),
          e);
    }
  }

  /** Closes the listening socket and every open session; running commands are interrupted. */
  public synchronized void stop() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    if (sessionExecutor != null) {
      // Sessions end first, while the event loops can still carry their last frames.
      sessionExecutor.shutdownNow();
      try {
        sessionExecutor.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (bossGroup != null) {
      bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
    if (baseUrl != null) {
      log.info("Stopped the streaming server at {}", baseUrl);
    }
    serverChannel = null;
    bossGroup = null;
    workerGroup = null;
    sessionExecutor = null;
    baseUrl = null;
  }

  @Override
  public void close() {
    stop();
  }

  /** Validates an Exec request, checks that its container runs and returns its URL. */
  public ExecResponse exec(ExecRequest request) {
    CommandRequest command = requests.exec(request);
    return ExecResponse.newBuilder().setUrl(issueUrl(command)).build();
  }

  /** Validates an Attach request, checks that its container runs and returns its URL. */
  public AttachResponse attach(AttachRequest request) {
    CommandRequest command = requests.attach(request);
    return AttachResponse.newBuilder().setUrl(issueUrl(command)).build();
  }

  /** Validates a PortForward request, checks that its pod sandbox is ready, returns its URL. */
  public PortForwardResponse portForward(PortForwardRequest request) {
    PortForwardTarget target = requests.portForward(request);
    return PortForwardResponse.newBuilder().setUrl(issueUrl(target)).build();
  }

  private String issueUrl(PendingStream pending) {
    String base = baseUrl;
    if (base == null) {
      throw CriException.unavailable(
          "the streaming server is not running; exec, attach and port forwarding are down", null);
    }
    return base + "/" + pending.kind().pathSegment() + "/" + tokens.insert(pending);
  }
}
