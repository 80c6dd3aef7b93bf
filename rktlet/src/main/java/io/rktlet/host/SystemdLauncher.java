package io.rktlet.host;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.util.Deadlines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the pod process as a transient systemd service ({@code systemd-run}) in the slice of
 * the pod's cgroup parent, for hosts where systemd is the init system. systemd then parents
 * the pod, so it survives restarts of rktlet, and the unit's cgroup is the pod's cgroup.
 */
public final class SystemdLauncher implements SandboxLauncher {
  private static final Logger log = LoggerFactory.getLogger(SystemdLauncher.class);

  /** Deadline for {@code systemd-run} and {@code systemctl show} when the call has none. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

  static final String UNIT_PREFIX = "rktlet-pod-";
  private static final int UNIT_ID_LENGTH = 16;
  private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{16}.*");

  // A slice name in systemd notation, such as kubepods-burstable-pod123.slice: parts of
  // unit-name characters joined by single dashes. The root slice is -.slice.
  private static final Pattern SLICE_NAME =
      Pattern.compile("(-|[A-Za-z0-9:_.\\\\]+(-[A-Za-z0-9:_.\\\\]+)*)\\.slice");
  private static final Pattern CGROUP_PATH_COMPONENT = Pattern.compile("[A-Za-z0-9:_.-]+");
  private static final int UNIT_NAME_MAX_LENGTH = 255;

  private final ProcessRunner runner;
  private final Duration commandTimeout;

  public SystemdLauncher(ProcessRunner runner) {
    this(runner, DEFAULT_COMMAND_TIMEOUT);
  }

  public SystemdLauncher(ProcessRunner runner, Duration commandTimeout) {
    this.runner = runner;
    this.commandTimeout = commandTimeout;
  }

  @Override
  public String name() {
    return "systemd";
  }

  /**
   * Runs {@code systemd-run} for the request and then reads the unit's main PID. The returned
   * exit future never completes, because the pod is not rktlet's child. The caller learns of
   * the pod's end from rkt.
   *
   * @throws IllegalArgumentException when the cgroup parent is in neither notation
   * @throws IOException when systemd-run fails or times out
   */
  @Override
  public LaunchedSandbox launch(LaunchRequest request) throws IOException {
    String unit = unitName(request.sandboxId());
    List<String> argv = systemdRunArgv(request, unit);
    Files.createDirectories(request.outputFile().toAbsolutePath().getParent());

    ProcessResult result = runner.run(ProcessSpec.of(argv, Deadlines.remainingOr(commandTimeout)));
    if (result.timedOut()) {
      throw new IOException("failed to start sandbox " + request.sandboxId() + ": systemd-run "
          + "timed out after " + result.elapsed().toMillis() + " ms; unit " + unit
          + " may still start, so stop it with: systemctl stop " + unit);
    }
    if (!result.succeeded()) {
      throw new IOException("failed to start sandbox " + request.sandboxId() + " as unit "
          + unit + ": systemd-run exited with " + result.exitCode() + ": "
          + result.stderrText().strip());
    }
    long pid = mainPid(request, unit);
    log.info("Launched sandbox {} as systemd unit {} (main PID {}) with output in {}",
        request.sandboxId(), unit, pid, request.outputFile());
    return new LaunchedSandbox(pid, new CompletableFuture<>(), unit);
  }

  /** Returns the transient unit's name, {@code rktlet-pod-} plus 16 characters of the ID. */
  static String unitName(String sandboxId) {
    if (!HEX_PREFIX.matcher(sandboxId).matches()) {
      throw new IllegalArgumentException(
          "invalid sandbox ID (expected lowercase hex, at least 16 characters): " + sandboxId);
    }
    return UNIT_PREFIX + sandboxId.substring(0, UNIT_ID_LENGTH);
  }

  /** Builds the {@code systemd-run} argument vector; package-private for tests. */
  static List<String> systemdRunArgv(LaunchRequest request, String unit) {
    String outputFile = request.outputFile().toAbsolutePath().normalize().toString();
    List<String> argv = new ArrayList<>();
    argv.add("systemd-run");
    argv.add("--unit=" + unit);
    sliceFor(request.cgroupParent()).ifPresent(slice -> argv.add("--slice=" + slice));
    // systemd unloads the unit once the pod exits, even when it failed.
    argv.add("--collect");
    argv.add("--property=StandardOutput=append:" + outputFile);
    argv.add("--property=StandardError=append:" + outputFile);
    // Sorted, so that the same request always gives the same argument vector.
    for (Map.Entry<String, String> variable : new TreeMap<>(request.environment()).entrySet()) {
      argv.add("--setenv=" + variable.getKey() + "=" + variable.getValue());
    }
    argv.add("--quiet");
    argv.add("--");
    argv.addAll(request.argv());
    return argv;
  }

  /**
   * Returns the systemd slice for a CRI cgroup parent. A slice name such as
   * {@code kubepods-burstable-pod123.slice} is used as it is; a cgroupfs path such as
   * {@code /kubepods/burstable/pod123} becomes {@code kubepods-burstable-pod123.slice}, with a
   * dash inside a component written as {@code _} the way the kubelet does, because systemd
   * reads a dash as a level of the slice hierarchy. An empty parent or {@code /} gives no slice,
   * so systemd uses its default.
   *
   * @throws IllegalArgumentException for anything else
   */
  static Optional<String> sliceFor(String cgroupParent) {
    if (cgroupParent == null || cgroupParent.isEmpty()) {
      return Optional.empty();
    }
    String slice;
    if (cgroupParent.startsWith("/")) {
      slice = sliceFromCgroupPath(cgroupParent);
      if (slice == null) {
        return Optional.empty();
      }
    } else if (SLICE_NAME.matcher(cgroupParent).matches()) {
      slice = cgroupParent;
    } else {
      throw new IllegalArgumentException("invalid cgroup parent " + cgroupParent + ": expected "
          + "a systemd slice such as kubepods-burstable-pod123.slice or a cgroupfs path such "
          + "as /kubepods/burstable/pod123");
    }
    if (slice.length() > UNIT_NAME_MAX_LENGTH) {
      throw new IllegalArgumentException("invalid cgroup parent " + cgroupParent
          + ": its slice name is longer than " + UNIT_NAME_MAX_LENGTH + " characters");
    }
    return Optional.of(slice);
  }

  /** Converts a cgroupfs path to a slice name, or returns null for the root {@code /}. */
  private static String sliceFromCgroupPath(String cgroupParent) {
    List<String> parts = new ArrayList<>();
    for (String component : cgroupParent.split("/")) {
      if (component.isEmpty()) {
        continue;
      }
      if (component.equals(".") || component.equals("..")
          || !CGROUP_PATH_COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException("invalid cgroup parent " + cgroupParent
            + ": component \"" + component + "\" is not a plain cgroup name");
      }
      if (component.endsWith(".slice")) {
        throw new IllegalArgumentException("invalid cgroup parent " + cgroupParent
            + ": a path of slices is not accepted; pass the last slice name alone, such as "
            + component);
      }
      parts.add(component.replace('-', '_'));
    }
    return parts.isEmpty() ? null : String.join("-", parts) + ".slice";
  }

  /** Reads the unit's MainPID. Returns 0, with a warning, when it cannot be read. */
  private long mainPid(LaunchRequest request, String unit) throws IOException {
    String sandboxId = request.sandboxId();
    List<String> argv = List.of("systemctl", "show", "--property=MainPID", "--value", unit);
    ProcessResult result = runner.run(ProcessSpec.of(argv, Deadlines.remainingOr(commandTimeout)));
    String output = result.stdoutText().strip();
    if (result.succeeded() && output.matches("[0-9]+")) {
      long pid = Long.parseLong(output);
      if (pid == 0) {
        log.warn("Sandbox {} unit {} has no main PID: the pod process may have exited already "
            + "(output in {})", sandboxId, unit, request.outputFile());
      }
      return pid;
    }
    log.warn("Failed to read the main PID of sandbox {} unit {}: systemctl exited with {}"
        + " (timed out: {}): {}", sandboxId, unit, result.exitCode(), result.timedOut(),
        result.stderrText().strip());
    return 0;
  }
}
