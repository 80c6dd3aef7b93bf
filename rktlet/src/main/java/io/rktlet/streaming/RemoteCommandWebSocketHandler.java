package io.rktlet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec and attach over WebSocket. Every message starts with its channel: 0 stdin, 1 stdout,
 * 2 stderr, 3 error, 4 resize. In v5 a message on channel 255 closes the channel named by its
 * one-byte payload, which is how a client ends stdin.
 */
final class RemoteCommandWebSocketHandler extends WebSocketSessionHandler {
  private static final Logger log = LoggerFactory.getLogger(RemoteCommandWebSocketHandler.class);
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  static final int CLOSE_SIGNAL = 255;

  private final StreamingContext context;
  private final CommandRequest request;
  private final String protocol;
  private final ChannelFraming framing;
  private final Channel channel;
  private final InboundPipe stdin;
  private final TerminalSizeQueue resizes = new TerminalSizeQueue();
  private final ResizeDecoder resizeDecoder;
  private Future<?> running;

  /** @param protocol the negotiated subprotocol; {@code channel.k8s.io} when none was offered */
  RemoteCommandWebSocketHandler(StreamingContext context, CommandRequest request,
      String protocol, Channel channel) {
    this.context = context;
    this.request = request;
    this.protocol = protocol;
    this.framing = ChannelFraming.forProtocol(protocol);
    this.channel = channel;
    this.stdin = new InboundPipe(new ReadThrottle(channel));
    this.resizeDecoder = new ResizeDecoder(resizes, sessionName());
  }

  @Override
  void start() {
    // An empty message on the lowest writable channel signals to the client that the session
    // is ready.
    int readyChannel = request.stdout() ? STDOUT : request.stderr() ? STDERR : ERROR;
    channel.writeAndFlush(framing.frame(readyChannel, Unpooled.EMPTY_BUFFER));
    running = context.sessionExecutor().submit(new CommandSession(
        request, protocol + "/WebSocket", context.runtime(), new Streams()));
  }

  @Override
  void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
    ChannelFraming.Message message = framing.decode(frame);
    if (message == null) {
      return;
    }
    try {
      route(message.channel(), message.payload());
    } finally {
      message.payload().release();
    }
  }

  private void route(int channelNumber, ByteBuf payload) {
    if (channelNumber == CLOSE_SIGNAL && protocol.equals(StreamProtocols.V5)) {
      if (payload.isReadable()) {
        closeChannel(payload.getUnsignedByte(payload.readerIndex()));
      }
    } else if (channelNumber == STDIN && request.stdin()) {
      stdin.data(payload);
    } else if (channelNumber == RESIZE && request.tty()) {
      resizeDecoder.data(payload);
    }
  }

  private void closeChannel(int channelNumber) {
    if (channelNumber == STDIN) {
      stdin.end();
    } else if (channelNumber == RESIZE) {
      resizes.close();
    }
  }

  @Override
  void onClose() {
    stdin.abort();
    resizes.close();
    if (running != null) {
      running.cancel(true);
    }
  }

  private String sessionName() {
    return request.action() + " in container " + request.containerId();
  }

  /** The session's WebSocket channels, in the form the runtime takes them. */
  private final class Streams implements CommandStreams {
    private final OutputStream stdout = request.stdout() ? outputOf(STDOUT) : null;
    private final OutputStream stderr = request.stderr() ? outputOf(STDERR) : null;

    private OutputStream outputOf(int channelNumber) {
      return new FrameOutputStream(channel,
          payload -> framing.frame(channelNumber, payload), () -> { });
    }

    @Override
    public InputStream stdin() {
      return request.stdin() ? stdin : null;
    }

    @Override
    public OutputStream stdout() {
      return stdout;
    }

    @Override
    public OutputStream stderr() {
      return stderr;
    }

    @Override
    public TerminalSizeQueue resizes() {
      return resizes;
    }

    @Override
    public boolean isConnected() {
      return channel.isActive();
    }

    @Override
    public void finish(ExecStatus status) {
      stdin.close();
      if (!channel.isActive()) {
        return;
      }
      byte[] statusBytes = status.encode(StreamProtocols.hasJsonStatus(protocol));
      if (statusBytes.length > 0) {
        channel.write(framing.frame(ERROR, Unpooled.wrappedBuffer(statusBytes)));
      }
      sendClose(channel).addListener(written -> context.closeAfterGrace(channel));
      log.debug("Sent the final status of {}", sessionName());
    }
  }
}
