package io.rktlet.host;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the pod process as a child of rktlet in a session of its own ({@code setsid}), for
 * hosts where systemd is not the init system.
 *
 * <p>{@code setsid} runs without {@code --fork}: a child of the JVM is not a process group
 * leader, so util-linux's setsid calls setsid(2) and execs the command in the same process.
 * The PID returned is therefore rkt's own, and the JVM reaps it while rktlet runs. When rktlet
 * exits, the pod is reparented to init and keeps running: it is in its own session and
 * process group, so a hangup or interrupt sent to rktlet's terminal or process group does not
 * reach it.
 */
public final class DetachedLauncher implements SandboxLauncher {
  private static final Logger log = LoggerFactory.getLogger(DetachedLauncher.class);

  private static final String SETSID = "setsid";
  private static final File DEV_NULL = new File("/dev/null");

  private final Path launchHelper;

  /**
   * @param launchHelper the supervisor binary, whose launch mode joins the pod's cgroups and
   *     then calls setsid and execs rkt; null to start with {@code setsid} alone
   */
  public DetachedLauncher(Path launchHelper) {
    this.launchHelper = launchHelper;
  }

  @Override
  public String name() {
    return "detached";
  }

  /**
   * Starts {@code setsid <argv>} with stdin from /dev/null and stdout and stderr appended to the
   * request's output file. A pipe is never used, because an undrained pipe would stall the pod
   * and a closed one would kill it when rktlet exits.
   */
  @Override
  public LaunchedSandbox launch(LaunchRequest request) throws IOException {
    Path outputFile = request.outputFile().toAbsolutePath();
    Files.createDirectories(outputFile.getParent());

    List<String> command = new ArrayList<>();
    if (launchHelper != null && !request.cgroupProcsFiles().isEmpty()) {
      // The supervisor's launch mode writes its PID into the pod's cgroups before it execs
      // rkt, so no process of the pod ever runs outside them.
      command.add(launchHelper.toString());
      command.add("launch");
      request.cgroupProcsFiles().forEach(file -> command.add("--cgroup-procs=" + file));
      command.add("--");
    } else {
      command.add(SETSID);
    }
    command.addAll(request.argv());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(request.environment());
    builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
    builder.redirectErrorStream(true);

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("failed to start sandbox " + request.sandboxId() + " with "
          + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    long pid = process.pid();
    log.info("Launched sandbox {} as detached process {} with output in {}",
        request.sandboxId(), pid, outputFile);

    CompletableFuture<Integer> exit = process.onExit().thenApply(Process::exitValue);
    exit.thenAccept(status -> log.info("Sandbox {} process {} exited with status {}",
        request.sandboxId(), pid, status));
    return new LaunchedSandbox(pid, exit, null);
  }
}
