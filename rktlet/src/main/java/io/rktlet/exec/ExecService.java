package io.rktlet.exec;

import com.google.protobuf.ByteString;
import io.rktlet.cri.v1.ExecSyncRequest;
import io.rktlet.cri.v1.ExecSyncResponse;
import io.rktlet.errors.CriException;
import io.rktlet.process.OutputCapture;
import io.rktlet.rkt.RktCli;
import io.rktlet.util.Deadlines;
import io.rktlet.validation.Check;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns ExecSync: runs a command in a container and returns its output and exit code. */
public final class ExecService {
  private static final Logger log = LoggerFactory.getLogger(ExecService.class);

  /**
   * Output beyond this many bytes per stream is read and dropped. NOTE: the kubelet's CRI client
   * accepts responses of at most 16 MiB in total, so it rejects a response with a full stream
   * (RESOURCE_EXHAUSTED). containerd's ExecSync has the same per-stream cap and the same limit.
   */
  public static final int MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

  /** Deadline of a command whose request sets no timeout and whose call has no deadline. */
  private static final Duration NO_TIMEOUT_LIMIT = Duration.ofHours(1);

  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

  private final RktCli rkt;
  private final ExecTargets targets;
  private final ExecutorService readers = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "exec-output");
    thread.setDaemon(true);
    return thread;
  });

  public ExecService(RktCli rkt, ExecTargets targets) {
    this.rkt = rkt;
    this.targets = targets;
  }

  /**
   * Runs the command with the container's identity and cgroups. When the request's timeout
   * passes, the command's whole process group is killed and the call fails with
   * DEADLINE_EXCEEDED, which the kubelet reads as a probe timeout.
   */
  public ExecSyncResponse execSync(ExecSyncRequest request) {
    if (request.getCmdCount() == 0) {
      throw CriException.invalidArgument("cmd must not be empty");
    }
    for (int i = 0; i < request.getCmdCount(); i++) {
      if (request.getCmd(i).indexOf('\0') >= 0) {
        throw Check.invalid("cmd[" + i + "]", request.getCmd(i), "contains a NUL byte");
      }
    }
    ExecTarget target = targets.running(request.getContainerId());
    Duration timeout = request.getTimeout() > 0
        ? Duration.ofSeconds(request.getTimeout()) : Deadlines.remainingOr(NO_TIMEOUT_LIMIT);
    try (ExecProcess exec = ExecProcess.start(rkt, target, request.getCmdList(), false, false,
        null)) {
      OutputCapture stdout = OutputCapture.start(exec.process().getInputStream(),
          MAX_OUTPUT_BYTES, readers);
      OutputCapture stderr = OutputCapture.start(exec.process().getErrorStream(),
          MAX_OUTPUT_BYTES, readers);
      if (!exec.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exec.kill();
        log.info("ExecSync in container {} timed out after {} s: {}", target.containerId(),
            timeout.toSeconds(), request.getCmdList());
        throw CriException.deadlineExceeded("command " + request.getCmdList()
            + " in container " + target.containerId() + " timed out after "
            + timeout.toSeconds() + " s", null);
      }
      // A background process the command left behind may hold the output open; it gets a
      // moment, then rktlet stops reading and the process keeps running in the container.
      // Both streams share that moment, because such a process usually keeps both open.
      long graceEnd = System.nanoTime() + OUTPUT_GRACE.toNanos();
      byte[] stdoutBytes = stdout.await(OUTPUT_GRACE);
      byte[] stderrBytes = stderr.await(Duration.ofNanos(
          Math.max(0, graceEnd - System.nanoTime())));
      return ExecSyncResponse.newBuilder()
          .setStdout(ByteString.copyFrom(stdoutBytes))
          .setStderr(ByteString.copyFrom(stderrBytes))
          .setExitCode(exec.process().exitValue())
          .build();
    } catch (IOException e) {
      throw CriException.unknown("failed to exec " + request.getCmdList() + " in container "
          + target.containerId(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CriException.unknown("interrupted while executing in container "
          + target.containerId(), e);
    }
  }
}
