package io.rktlet.rkt;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.util.Deadlines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one adapter through which rktlet runs rkt. Every command gets the experiment switches and
 * global flags, a deadline (the gRPC call's when it has one), and separate stdout and stderr;
 * failures become {@link RktException}s classified by their stderr text.
 */
public final class RktCli {
  private static final Logger log = LoggerFactory.getLogger(RktCli.class);

  /** Environment that enables {@code rkt app} and the stdio flags of {@code app add}. */
  public static final Map<String, String> EXPERIMENTS =
      Map.of("RKT_EXPERIMENT_APP", "true", "RKT_EXPERIMENT_ATTACH", "true");

  private static final Pattern VERSION = Pattern.compile("(?m)^rkt Version:\\s*(\\S+)");
  private static final Pattern PID = Pattern.compile("(?m)^pid=(\\d+)");
  private static final Pattern SANDBOX_UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final RktCliConfig config;
  private final ProcessRunner runner;

  public RktCli(RktCliConfig config, ProcessRunner runner) {
    this.config = config;
    this.runner = runner;
  }

  public RktCliConfig config() {
    return config;
  }

  /** Returns rkt's version, for example {@code 1.30.0}. */
  public String version() {
    String out = run(base().words("version")).stdoutText();
    Matcher matcher = VERSION.matcher(out);
    if (!matcher.find()) {
      throw new IllegalStateException("rkt version printed no version line: " + out.strip());
    }
    return matcher.group(1);
  }

  /** Lists every pod in the data directory. */
  public List<RktPod> list() {
    return RktJson.pods(run(base().words("list").flag("format", "json")).stdoutText());
  }

  /** Returns the pod, or empty when rkt does not know the UUID. */
  public Optional<RktPod> status(String uuid) {
    try {
      RktArgs args = base().words("status").flag("format", "json").positional(uuid(uuid));
      return Optional.ofNullable(RktJson.pod(run(args).stdoutText()));
    } catch (RktException e) {
      if (e.failure() == RktFailure.POD_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Waits until the pod's supervisor is ready to accept apps, at most {@code timeout}. */
  public void waitReady(String uuid, Duration timeout) {
    RktArgs args = base().words("status")
        .flag("wait-ready", timeout.toMillis() + "ms")
        .positional(uuid(uuid));
    run(args, timeout.plusSeconds(5));
  }

  /**
   * Returns the PID of the pod's process (systemd-nspawn), which already lives in the pod's
   * network namespace; empty when the pod has no process.
   */
  public OptionalLong podPid(String uuid) {
    String out = run(base().words("status").positional(uuid(uuid))).stdoutText();
    Matcher matcher = PID.matcher(out);
    return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
  }

  /**
   * Stops a pod; {@code rkt stop} returns at once while the pod winds down. Returns false when
   * the pod had already stopped (rkt exits 0 and says so on stdout).
   */
  public boolean stop(String uuid, boolean force) {
    RktArgs args = base().words("stop");
    if (force) {
      args.booleanFlag("force");
    }
    ProcessResult result = run(args.positional(uuid(uuid)));
    return !result.stdoutText().contains("is already stopped");
  }

  /** Removes a stopped pod; a running one fails with {@link RktFailure#POD_RUNNING}. */
  public void remove(String uuid) {
    run(base().words("rm").positional(uuid(uuid)));
  }

  /** Removes exited pods older than the grace period, with their CNI allocations and mounts. */
  public void gc(Duration gracePeriod) {
    run(base().words("gc").flag("grace-period", gracePeriod.toSeconds() + "s"));
  }

  public void appAdd(String uuid, AppSpec spec) {
    run(AppArgs.add(base(), uuid(uuid), spec));
  }

  public void appStart(String uuid, String app) {
    run(appCommand("start", uuid, app));
  }

  /** Stops an app; rkt waits for the app's own exit up to a fixed 90 s, then kills it. */
  public void appStop(String uuid, String app, Duration timeout) {
    run(appCommand("stop", uuid, app), timeout);
  }

  public void appRemove(String uuid, String app) {
    run(appCommand("rm", uuid, app));
  }

  /** Returns the app's own status and times, or empty when the pod has no such app. */
  public Optional<RktApp> appStatus(String uuid, String app) {
    RktArgs args = base().words("app", "status").flag("format", "json")
        .positional(uuid(uuid)).flag("app", app);
    try {
      return Optional.ofNullable(RktJson.app(run(args).stdoutText()));
    } catch (RktException e) {
      if (e.failure() == RktFailure.APP_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Fetches a docker image into the store and returns its store ID.
   *
   * @param userConfig private directory holding registry credentials, or null
   */
  public String fetch(String dockerUrl, boolean plainHttp, Path userConfig, Duration timeout) {
    RktArgs args = RktArgs.command(config.binary().toString());
    globalFlags(args, plainHttp ? "image,http" : "image");
    if (userConfig != null) {
      args.flag("user-config", userConfig.toString());
    }
    args.words("fetch").booleanFlag("full").flag("pull-policy", "update");
    ProcessResult result = run(args.positional(dockerUrl), timeout);
    return result.stdoutText().lines()
        .map(String::strip)
        .filter(line -> line.startsWith("sha512-"))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new IllegalStateException(
            "rkt fetch of " + dockerUrl + " printed no image ID: " + result.stdoutText()));
  }

  public List<RktImage> imageList() {
    RktArgs args = base().words("image", "list").flag("format", "json").booleanFlag("full");
    return RktJson.images(run(args).stdoutText());
  }

  public ImageManifest catManifest(String imageId) {
    return RktJson.manifest(run(base().words("image", "cat-manifest").positional(imageId))
        .stdoutText());
  }

  /**
   * Removes images from the store and returns how many rkt removed. {@code rkt image rm}
   * always exits 0, so the count comes from its output.
   */
  public int imageRemove(List<String> imageIds) {
    RktArgs args = base().words("image", "rm");
    imageIds.forEach(args::positional);
    ProcessResult result = run(args);
    return (int) result.stdoutText().lines()
        .filter(line -> line.startsWith("successfully removed"))
        .count();
  }

  /** Returns the argument vector of {@code rkt app sandbox}, for a launcher to run. */
  public List<String> sandboxCommand(SandboxSpec spec) {
    return SandboxArgs.build(base(), spec);
  }

  /** Returns the argument vector that runs a command in an app ({@code rkt enter}). */
  public List<String> enterCommand(String uuid, String app, List<String> command) {
    RktArgs args = base().words("enter").flag("app", app).positional(uuid(uuid));
    if (command.isEmpty() || command.get(0).startsWith("-")) {
      throw new IllegalArgumentException("command must name a program: " + command);
    }
    List<String> argv = new java.util.ArrayList<>(args.build());
    argv.addAll(command);
    return argv;
  }

  /** Returns the environment every rkt process needs. */
  public Map<String, String> environment() {
    return EXPERIMENTS;
  }

  private RktArgs appCommand(String verb, String uuid, String app) {
    return base().words("app", verb).positional(uuid(uuid)).flag("app", app);
  }

  private RktArgs base() {
    RktArgs args = RktArgs.command(config.binary().toString());
    globalFlags(args, config.insecureOptions());
    return args;
  }

  private void globalFlags(RktArgs args, String insecureOptions) {
    args.flag("dir", config.dataDir().toString());
    if (config.localConfig() != null) {
      args.flag("local-config", config.localConfig().toString());
    }
    if (insecureOptions != null && !insecureOptions.isEmpty()) {
      args.flag("insecure-options", insecureOptions);
    }
  }

  private static String uuid(String uuid) {
    if (!SANDBOX_UUID.matcher(uuid).matches()) {
      throw new IllegalArgumentException("not a rkt pod UUID: " + uuid);
    }
    return uuid;
  }

  private ProcessResult run(RktArgs args) {
    return run(args, config.commandTimeout());
  }

  private ProcessResult run(RktArgs args, Duration fallbackTimeout) {
    List<String> argv = args.build();
    Duration timeout = Deadlines.remainingOr(fallbackTimeout);
    ProcessResult result;
    try {
      result = runner.run(new ProcessSpec(argv, EXPERIMENTS, null, timeout, null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + config.binary() + ": " + e.getMessage(), e);
    }
    if (!result.succeeded()) {
      RktException failure = RktException.of(result);
      log.debug("rkt command failed: {}", failure.getMessage());
      throw failure;
    }
    log.trace("rkt {} took {} ms", RktArgs.subcommandOf(argv), result.elapsed().toMillis());
    return result;
  }
}
