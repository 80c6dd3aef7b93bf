package io.rktlet.streaming;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port forwarding over WebSocket with the {@code channel.k8s.io} framing. The session forwards
 * one connection to each requested port: port i gets data channel 2i and error channel 2i+1,
 * and the first message on each of them is the port number, two bytes little-endian. The
 * connection closes when every forwarded connection has ended.
 */
final class PortForwardWebSocketHandler extends WebSocketSessionHandler {
  private static final Logger log = LoggerFactory.getLogger(PortForwardWebSocketHandler.class);

  private final StreamingContext context;
  private final String podSandboxId;
  private final List<Integer> ports;
  private final String protocol;
  private final ChannelFraming framing;
  private final Channel channel;
  private final List<InboundPipe> inputs = new ArrayList<>();
  private final List<PortForwarder> forwarders = new ArrayList<>();
  /** Forwarded connections still running. Confined to the event loop. */
  private int running;

  PortForwardWebSocketHandler(StreamingContext context, String podSandboxId, List<Integer> ports,
      String protocol, Channel channel) {
    this.context = context;
    this.podSandboxId = podSandboxId;
    this.ports = List.copyOf(ports);
    this.protocol = protocol;
    this.framing = ChannelFraming.forProtocol(protocol);
    this.channel = channel;
  }

  @Override
  void start() {
    log.info("Started port forwarding to pod sandbox {} ports {} ({}/WebSocket)", podSandboxId,
        ports, protocol);
    ReadThrottle throttle = new ReadThrottle(channel);
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      channel.write(framing.frame(2 * i, Unpooled.buffer(2).writeShortLE(port)));
      channel.write(framing.frame(2 * i + 1, Unpooled.buffer(2).writeShortLE(port)));
      InboundPipe input = new InboundPipe(throttle);
      inputs.add(input);
      forwarders.add(new PortForwarder(context, podSandboxId, port, new ChannelPair(i, input)));
    }
    channel.flush();
    running = forwarders.size();
    for (PortForwarder forwarder : forwarders) {
      context.sessionExecutor().submit(forwarder);
    }
  }

  @Override
  void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
    ChannelFraming.Message message = framing.decode(frame);
    if (message == null) {
      return;
    }
    try {
      int channelNumber = message.channel();
      // Only data channels carry client data; error channels are server to client.
      if (channelNumber % 2 == 0 && channelNumber / 2 < inputs.size()) {
        inputs.get(channelNumber / 2).data(message.payload());
      }
    } finally {
      message.payload().release();
    }
  }

  @Override
  void onClose() {
    for (InboundPipe input : inputs) {
      input.abort();
    }
    for (PortForwarder forwarder : forwarders) {
      forwarder.abort();
    }
    log.info("Finished port forwarding to pod sandbox {} ports {}", podSandboxId, ports);
  }

  private void connectionEnded() {
    if (--running == 0) {
      sendClose(channel).addListener(written -> context.closeAfterGrace(channel));
    }
  }

  /** The data and error channels of port number {@code index} in the request. */
  private final class ChannelPair implements PortForwarder.ClientSide {
    private final int index;
    private final InboundPipe input;
    private final OutputStream output;

    ChannelPair(int index, InboundPipe input) {
      this.index = index;
      this.input = input;
      this.output = new FrameOutputStream(channel,
          payload -> framing.frame(2 * index, payload), () -> { });
    }

    @Override
    public InputStream input() {
      return input;
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void reportError(String message) {
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      channel.writeAndFlush(framing.frame(2 * index + 1, Unpooled.wrappedBuffer(bytes)));
    }

    /** Version 4 of the protocol has no message that ends one channel. */
    @Override
    public boolean supportsHalfClose() {
      return false;
    }

    @Override
    public void finish() {
      input.close();
      channel.eventLoop().execute(PortForwardWebSocketHandler.this::connectionEnded);
    }
  }
}
