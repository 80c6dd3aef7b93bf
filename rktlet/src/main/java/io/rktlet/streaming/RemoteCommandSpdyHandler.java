package io.rktlet.streaming;

import io.netty.channel.Channel;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec and attach over SPDY. The client creates one stream per standard stream, each with a
 * {@code streamType} header; the server starts the command once all streams that the request
 * implies exist.
 */
final class RemoteCommandSpdyHandler implements SpdySession.Listener {
  private static final Logger log = LoggerFactory.getLogger(RemoteCommandSpdyHandler.class);
  static final String ERROR = "error";
  static final String STDIN = "stdin";
  static final String STDOUT = "stdout";
  static final String STDERR = "stderr";
  static final String RESIZE = "resize";

  private final StreamingContext context;
  private final CommandRequest request;
  private final String protocol;
  private final Channel channel;
  private final Set<String> expectedTypes;
  private final TerminalSizeQueue resizes = new TerminalSizeQueue();
  private final InboundPipe stdin;
  /** Confined to the event loop, like the fields below. */
  private final Map<String, SpdyStream> streams = new HashMap<>();
  private final List<SpdyStream> ignoredStreams = new ArrayList<>();
  private ScheduledFuture<?> creationTimeout;
  private Future<?> running;

  RemoteCommandSpdyHandler(StreamingContext context, CommandRequest request, String protocol,
      Channel channel) {
    this.context = context;
    this.request = request;
    this.protocol = protocol;
    this.channel = channel;
    this.expectedTypes = expectedTypes(request, protocol);
    this.stdin = new InboundPipe(new ReadThrottle(channel));
  }

  /**
   * Returns the stream types the client creates: always the error stream, one per standard
   * stream in the request, and a resize stream for a TTY from v3 on.
   */
  static Set<String> expectedTypes(CommandRequest request, String protocol) {
    Set<String> types = new LinkedHashSet<>();
    types.add(ERROR);
    if (request.stdin()) {
      types.add(STDIN);
    }
    if (request.stdout()) {
      types.add(STDOUT);
    }
    if (request.stderr()) {
      types.add(STDERR);
    }
    if (request.tty() && StreamProtocols.hasResizeStream(protocol)) {
      types.add(RESIZE);
    }
    return types;
  }

  /** Starts the timer for stream creation; call it once the upgrade response is written. */
  void start() {
    long timeoutNanos = context.options().streamCreationTimeout().toNanos();
    creationTimeout =
        channel.eventLoop().schedule(this::creationTimedOut, timeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean streamOpened(SpdyStream stream) {
    String type = stream.header("streamtype");
    if (type == null) {
      log.warn("Rejecting a stream without streamType header for {}", sessionName());
      return false;
    }
    if (!expectedTypes.contains(type) || streams.containsKey(type) || running != null) {
      // The kubelet accepts such streams too; the client may use them, the server does not.
      log.warn("Ignoring unexpected {} stream for {}", type, sessionName());
      ignoredStreams.add(stream);
      return true;
    }
    if (type.equals(STDIN)) {
      stream.setSink(stdin);
    } else if (type.equals(RESIZE)) {
      stream.setSink(new ResizeDecoder(resizes, sessionName()));
    }
    streams.put(type, stream);
    if (streams.size() == expectedTypes.size()) {
      creationTimeout.cancel(false);
      String transport = protocol + "/SPDY";
      running = context.sessionExecutor().submit(
          new CommandSession(request, transport, context.runtime(), new Streams()));
    }
    return true;
  }

  @Override
  public void sessionClosed() {
    if (creationTimeout != null) {
      creationTimeout.cancel(false);
    }
    stdin.abort();
    resizes.close();
    if (running != null) {
      running.cancel(true);
    }
  }

  private void creationTimedOut() {
    Set<String> missing = new LinkedHashSet<>(expectedTypes);
    missing.removeAll(streams.keySet());
    log.error("Closing {}: the client created no {} stream within {}", sessionName(),
        String.join(", ", missing), Durations.format(context.options().streamCreationTimeout()));
    channel.close();
  }

  private String sessionName() {
    return request.action() + " in container " + request.containerId();
  }

  /** The session's SPDY streams, in the form the runtime takes them. */
  private final class Streams implements CommandStreams {
    private final FrameOutputStream stdout = outputOf(STDOUT);
    private final FrameOutputStream stderr = outputOf(STDERR);

    private FrameOutputStream outputOf(String type) {
      SpdyStream stream = streams.get(type);
      return stream == null ? null : stream.output();
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
      if (stdout != null) {
        stdout.close();
      }
      if (stderr != null) {
        stderr.close();
      }
      stdin.close();
      if (!channel.isActive()) {
        return;
      }
      byte[] statusBytes = status.encode(StreamProtocols.hasJsonStatus(protocol));
      channel.eventLoop().execute(() -> finishStreams(statusBytes));
    }

    private void finishStreams(byte[] statusBytes) {
      for (Map.Entry<String, SpdyStream> entry : streams.entrySet()) {
        if (!entry.getKey().equals(ERROR)) {
          entry.getValue().finish();
        }
      }
      for (SpdyStream ignored : ignoredStreams) {
        ignored.reset(SpdyStreamStatus.CANCEL);
      }
      streams.get(ERROR).writeAndFinish(statusBytes)
          .addListener(written -> context.closeAfterGrace(channel));
    }
  }
}
