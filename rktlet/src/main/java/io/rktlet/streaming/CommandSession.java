package io.rktlet.streaming;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one exec or attach through the runtime on a session thread and reports how it ended.
 * The transport has connected the streams before; this class does not know it.
 */
final class CommandSession implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(CommandSession.class);

  private final CommandRequest request;
  private final String transport;
  private final StreamingRuntime runtime;
  private final CommandStreams streams;

  /** @param transport names the protocol in log lines, for example "v4.channel.k8s.io/SPDY" */
  CommandSession(CommandRequest request, String transport, StreamingRuntime runtime,
      CommandStreams streams) {
    this.request = request;
    this.transport = transport;
    this.runtime = runtime;
    this.streams = streams;
  }

  @Override
  public void run() {
    String action = request.action();
    String containerId = request.containerId();
    log.info("Started {} in container {} ({}, tty={}, stdin={})", action, containerId,
        transport, request.tty(), request.stdin());
    ExecStatus status;
    try {
      status = runInRuntime();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.info("Stopped {} in container {}: the client went away or the server stopped",
          action, containerId);
      return;
    } catch (IOException e) {
      if (!streams.isConnected()) {
        log.info("Stopped {} in container {}: the client went away ({})", action, containerId,
            e.getMessage());
        return;
      }
      log.error("Failed to {} in container {}: {}", action, containerId, e.getMessage());
      status = ExecStatus.internalError(failureMessage(e.getMessage()));
    } catch (RuntimeException e) {
      log.error("Failed to {} in container {}", action, containerId, e);
      status = ExecStatus.internalError(failureMessage(e.toString()));
    } finally {
      streams.resizes().close();
    }
    streams.finish(status);
    log.info("Finished {} in container {}: {}", action, containerId, status.describe());
  }

  private String failureMessage(String detail) {
    if (request.kind() == StreamKind.ATTACH) {
      return "error attaching to container " + request.containerId() + ": " + detail;
    }
    return "error executing command in container " + request.containerId() + ": " + detail;
  }

  private ExecStatus runInRuntime() throws IOException, InterruptedException {
    if (request.kind() == StreamKind.ATTACH) {
      runtime.attach(request.containerId(), request.tty(), streams.stdin(), streams.stdout(),
          streams.stderr(), streams.resizes());
      return ExecStatus.success();
    }
    int exitCode = runtime.exec(request.containerId(), request.command(), request.tty(),
        streams.stdin(), streams.stdout(), streams.stderr(), streams.resizes());
    return exitCode == 0 ? ExecStatus.success()
        : ExecStatus.nonZeroExit(request.command(), exitCode);
  }
}
