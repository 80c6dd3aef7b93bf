package io.rktlet.streaming;

import java.util.List;

/** A port-forward request: the pod sandbox, and the ports named in the CRI request if any. */
record PortForwardTarget(String podSandboxId, List<Integer> ports) implements PendingStream {
  PortForwardTarget {
    ports = List.copyOf(ports);
  }

  @Override
  public StreamKind kind() {
    return StreamKind.PORT_FORWARD;
  }
}
