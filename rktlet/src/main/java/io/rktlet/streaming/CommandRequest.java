package io.rktlet.streaming;

import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.ExecRequest;
import java.util.List;

/**
 * An exec or attach request: the container, the command for exec, and which standard streams
 * the session carries.
 */
record CommandRequest(StreamKind kind, String containerId, List<String> command, boolean tty,
    boolean stdin, boolean stdout, boolean stderr) implements PendingStream {

  CommandRequest {
    command = List.copyOf(command);
  }

  static CommandRequest of(ExecRequest request) {
    return new CommandRequest(StreamKind.EXEC, request.getContainerId(), request.getCmdList(),
        request.getTty(), request.getStdin(), request.getStdout(), request.getStderr());
  }

  static CommandRequest of(AttachRequest request) {
    return new CommandRequest(StreamKind.ATTACH, request.getContainerId(), List.of(),
        request.getTty(), request.getStdin(), request.getStdout(), request.getStderr());
  }

  /** Returns this request with other stream flags; a TTY has no separate stderr. */
  CommandRequest withStreams(boolean newStdin, boolean newStdout, boolean newStderr,
      boolean newTty) {
    return new CommandRequest(kind, containerId, command, newTty, newStdin, newStdout,
        newStderr && !newTty);
  }

  /** Returns "exec" or "attach", for log lines. */
  String action() {
    return kind.pathSegment();
  }
}
