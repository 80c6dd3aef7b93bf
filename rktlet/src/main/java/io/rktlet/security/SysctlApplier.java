package io.rktlet.security;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a pod's sysctls from the host, because rkt has no option for them and systemd-nspawn
 * mounts /proc/sys read-only inside the pod.
 *
 * <p>Each value is written with {@code nsenter --target=PID --net|--ipc -- tee
 * /proc/sys/PATH}, the value on standard input. The kernel resolves a /proc/sys/net or IPC
 * parameter in the network or IPC namespace of the writing process, whichever procfs mount is
 * used, so the writer must enter the pod's namespace. Writing
 * {@code /proc/<pid>/root/proc/sys/...} from the host would change the host's own value.
 */
public final class SysctlApplier {
  private static final Logger log = LoggerFactory.getLogger(SysctlApplier.class);

  /** Deadline for each nsenter process when the caller gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final ProcessRunner runner;
  private final Duration timeout;

  public SysctlApplier(ProcessRunner runner) {
    this(runner, DEFAULT_TIMEOUT);
  }

  public SysctlApplier(ProcessRunner runner, Duration timeout) {
    this.runner = runner;
    this.timeout = timeout;
  }

  /**
   * Sets every sysctl of the plan, in order, and stops at the first failure.
   *
   * @param sandboxId rktlet's sandbox ID, for messages
   * @param podPid a process in both the pod's network and IPC namespaces: the pod's systemd,
   *     which is the child of the PID that {@code rkt status} prints (that nspawn process is in
   *     the pod's network namespace but not its IPC namespace)
   * @throws IOException when nsenter cannot start, times out or fails; the message names the
   *     sysctl, the command and its error output
   */
  public void apply(String sandboxId, SysctlPlan plan, long podPid) throws IOException {
    if (podPid <= 0) {
      throw new IllegalArgumentException("invalid pod PID " + podPid);
    }
    for (Sysctl sysctl : plan.sysctls()) {
      List<String> argv = argv(sysctl, podPid);
      byte[] input = (sysctl.value() + "\n").getBytes(StandardCharsets.UTF_8);
      ProcessResult result = runner.run(new ProcessSpec(argv, Map.of(), input, timeout, null));
      if (!result.succeeded()) {
        String failure = result.timedOut()
            ? "timed out after " + result.elapsed().toMillis() + " ms"
            : "exited with " + result.exitCode() + ": " + result.stderrText().strip();
        throw new IOException("failed to set sysctl " + sysctl.name() + "=" + sysctl.value()
            + " in sandbox " + sandboxId + ": " + String.join(" ", argv) + " " + failure);
      }
      log.info("Set sysctl {}={} in sandbox {} (pod PID {})", sysctl.name(), sysctl.value(),
          sandboxId, podPid);
    }
  }

  static List<String> argv(Sysctl sysctl, long podPid) {
    String namespace = sysctl.namespace() == Sysctl.Namespace.NET ? "--net" : "--ipc";
    return List.of("nsenter", "--target=" + podPid, namespace, "--", "tee",
        "/proc/sys/" + sysctl.procSysPath());
  }
}
