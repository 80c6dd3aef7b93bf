package io.rktlet.host;

import java.io.IOException;

/**
 * Starts {@code rkt app sandbox}, which stays in the foreground for the pod's whole life, so
 * that the pod outlives rktlet: as a transient systemd unit where systemd is the init system,
 * or as a detached process in its own session elsewhere.
 */
public interface SandboxLauncher {

  /** Starts the pod process and returns once it runs; its output goes to the request's file. */
  LaunchedSandbox launch(LaunchRequest request) throws IOException;

  /** Returns a short name for logs, such as {@code systemd} or {@code detached}. */
  String name();
}
