package io.rktlet.host;

import java.util.concurrent.CompletableFuture;

/**
 * A pod process that a launcher started.
 *
 * @param pid the process's PID when the launcher knows it, else 0
 * @param exit completes with the exit status when the launcher can observe the process's end
 *     (a detached child); never completes otherwise
 * @param unitName the transient systemd unit, or null for a detached process
 */
public record LaunchedSandbox(long pid, CompletableFuture<Integer> exit, String unitName) {}
