package io.rktlet.e2e;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.rktlet.cri.v1.ImageServiceGrpc;
import io.rktlet.cri.v1.RuntimeServiceGrpc;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A grpc-java client of rktlet's CRI services over its real UNIX socket. */
final class CriClient implements AutoCloseable {
  private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
  private final ManagedChannel channel;

  CriClient(Path socket) {
    this(socket, 1024 * 1024);
  }

  /** @param flowControlWindowBytes how much the server may send before the client reads */
  CriClient(Path socket, int flowControlWindowBytes) {
    this(socket, flowControlWindowBytes, 4 * 1024 * 1024);
  }

  /**
   * @param flowControlWindowBytes how much the server may send before the client reads
   * @param maxResponseBytes maximum size of a response message (grpc-java's default: 4 MiB)
   */
  CriClient(Path socket, int flowControlWindowBytes, int maxResponseBytes) {
    channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .flowControlWindow(flowControlWindowBytes)
        .maxInboundMessageSize(maxResponseBytes)
        .usePlaintext()
        .build();
  }

  /** Runtime calls with a 60 s deadline each, so a hung call fails the test instead. */
  RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  ImageServiceGrpc.ImageServiceBlockingStub images() {
    return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
