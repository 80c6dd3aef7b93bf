package io.rktlet.streaming;

import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.PortForwardRequest;
import io.rktlet.errors.CriException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates the CRI Exec, Attach and PortForward requests and checks their targets, before the
 * server issues a URL for them.
 */
final class StreamRequests {
  private final StreamTargets targets;

  StreamRequests(StreamTargets targets) {
    this.targets = targets;
  }

  CommandRequest exec(ExecRequest request) {
    requireId(request.getContainerId(), "exec", "container_id");
    if (request.getCmdCount() == 0) {
      throw CriException.invalidArgument(
          "invalid exec request: cmd is empty; give the command to run in the container");
    }
    requireStreams("exec", request.getTty(), request.getStdin(), request.getStdout(),
        request.getStderr());
    checkContainer(request.getContainerId(), "exec");
    return CommandRequest.of(request);
  }

  CommandRequest attach(AttachRequest request) {
    requireId(request.getContainerId(), "attach", "container_id");
    requireStreams("attach", request.getTty(), request.getStdin(), request.getStdout(),
        request.getStderr());
    checkContainer(request.getContainerId(), "attach");
    Optional<Boolean> containerTty = targets.containerTty(request.getContainerId());
    if (containerTty.isPresent() && containerTty.get() != request.getTty()) {
      throw CriException.invalidArgument("invalid attach request: tty is " + request.getTty()
          + " but container " + request.getContainerId() + " was created with tty="
          + containerTty.get() + "; attach with the container's tty setting");
    }
    return CommandRequest.of(request);
  }

  PortForwardTarget portForward(PortForwardRequest request) {
    String sandboxId = request.getPodSandboxId();
    requireId(sandboxId, "port_forward", "pod_sandbox_id");
    List<Integer> ports = new ArrayList<>();
    for (int port : request.getPortList()) {
      if (port < 1 || port > 65535) {
        throw CriException.invalidArgument("invalid port_forward request: port " + port
            + " is out of range; ports are 1 to 65535");
      }
      ports.add(port);
    }
    switch (targets.sandboxState(sandboxId)) {
      case NOT_FOUND -> throw CriException.notFound("pod sandbox " + sandboxId + " not found");
      case NOT_RUNNING -> throw CriException.failedPrecondition("pod sandbox " + sandboxId
          + " is not ready; port forwarding needs a running pod sandbox");
      case RUNNING -> { }
      default -> throw new IllegalStateException("unknown state of pod sandbox " + sandboxId);
    }
    return new PortForwardTarget(sandboxId, ports);
  }

  private static void requireId(String id, String call, String field) {
    if (id.isEmpty()) {
      throw CriException.invalidArgument(
          "invalid " + call + " request: " + field + " is empty; give the ID");
    }
  }

  private static void requireStreams(String call, boolean tty, boolean stdin, boolean stdout,
      boolean stderr) {
    if (tty && stderr) {
      throw CriException.invalidArgument("invalid " + call + " request: tty and stderr are"
          + " both set; a TTY merges stderr into stdout, so set stderr to false");
    }
    if (!stdin && !stdout && !stderr) {
      throw CriException.invalidArgument("invalid " + call + " request: none of stdin, stdout"
          + " and stderr is set; set at least one");
    }
  }

  private void checkContainer(String containerId, String call) {
    switch (targets.containerState(containerId)) {
      case NOT_FOUND -> throw CriException.notFound("container " + containerId + " not found");
      case NOT_RUNNING -> throw CriException.failedPrecondition("container " + containerId
          + " is not running; " + call + " needs a running container");
      case RUNNING -> { }
      default -> throw new IllegalStateException("unknown state of container " + containerId);
    }
  }
}
