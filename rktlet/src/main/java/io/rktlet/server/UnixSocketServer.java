package io.rktlet.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A gRPC server on a UNIX domain socket, created with mode 0660 in a directory it creates. */
public final class UnixSocketServer {
  private static final Logger log = LoggerFactory.getLogger(UnixSocketServer.class);

  private final Path socket;
  private final Server server;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final ExecutorService executor;

  public UnixSocketServer(Path socket, List<BindableService> services,
      CallInterceptor interceptor) {
    this(socket, services, List.of(interceptor));
  }

  /**
   * Serves the services through the interceptors. The last interceptor in the list
   * intercepts each call first, as in
   * {@link ServerInterceptors#intercept(BindableService, List)}.
   */
  public UnixSocketServer(Path socket, List<BindableService> services,
      List<ServerInterceptor> interceptors) {
    this.socket = socket;
    this.bossGroup = new EpollEventLoopGroup(1);
    this.workerGroup = new EpollEventLoopGroup(2);
    // Calls block on rkt processes, so they run on their own pool, not on Netty's threads.
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "grpc-call");
      thread.setDaemon(true);
      return thread;
    });
    NettyServerBuilder builder = NettyServerBuilder
        .forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(bossGroup)
        .workerEventLoopGroup(workerGroup)
        .executor(executor)
        // The kubelet's default maximum message size; ListContainers on a busy node is large.
        .maxInboundMessageSize(16 * 1024 * 1024);
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, interceptors));
    }
    this.server = builder.build();
  }

  /**
   * Creates the socket's directory, replaces a stale socket file and starts serving. A socket
   * that still accepts connections belongs to a running server, so start-up fails instead of
   * taking it over.
   */
  public void start() throws IOException {
    Files.createDirectories(socket.getParent());
    if (Files.exists(socket)) {
      if (accepts(socket)) {
        throw new IOException("another server is listening on " + socket + "; stop it or "
            + "choose another --socket");
      }
      log.info("Removing stale socket {}", socket);
      Files.delete(socket);
    }
    server.start();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    log.info("Serving CRI on unix://{}", socket);
  }

  private static boolean accepts(Path socket) {
    try (java.nio.channels.SocketChannel channel =
        java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      channel.connect(java.net.UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops accepting calls, waits up to {@code graceSeconds} for running ones, then forces. */
  public void stop(long graceSeconds) {
    server.shutdown();
    try {
      if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
        log.warn("Calls still running after {} s; cancelling them", graceSeconds);
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    executor.shutdownNow();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.warn("Cannot remove socket {}: {}", socket, e.toString());
    }
    log.info("Stopped serving on unix://{}", socket);
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
