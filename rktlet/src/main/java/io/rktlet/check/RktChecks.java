package io.rktlet.check;

import io.rktlet.config.RktletConfig;
import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.rkt.RktArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of the rkt binary: that it exists, runs, has the expected version and the app API. */
final class RktChecks {
  /** The rkt release whose behaviour rktlet was written against. */
  static final String EXPECTED_VERSION = "1.30.0";

  private static final Pattern VERSION = Pattern.compile("(?m)^rkt Version:\\s*(\\S+)");

  private final RktletConfig.Rkt rkt;
  private final ProcessRunner runner;
  private final Duration timeout;

  RktChecks(RktletConfig.Rkt rkt, ProcessRunner runner, Duration timeout) {
    this.rkt = rkt;
    this.runner = runner;
    this.timeout = timeout;
  }

  /** Checks that the binary exists, is executable and that {@code rkt version} parses. */
  CheckResult binary() {
    String name = "rkt-binary";
    Path binary = rkt.binary();
    if (!Files.exists(binary)) {
      return CheckResult.fail(name, binary + " does not exist",
          "install rkt v" + EXPECTED_VERSION + " there, or set --rkt (rkt.binary in the "
              + "configuration file) to its path");
    }
    if (!Files.isRegularFile(binary)) {
      return CheckResult.fail(name, binary + " is not a regular file",
          "set --rkt (rkt.binary) to the rkt executable");
    }
    if (!Files.isExecutable(binary)) {
      return CheckResult.fail(name, binary + " is not executable", "chmod 0755 " + binary);
    }

    ProcessResult result;
    try {
      result = run(command().words("version"), Map.of());
    } catch (IOException e) {
      return CheckResult.fail(name, "cannot run " + binary + ": " + e.getMessage(),
          "check that it is a Linux amd64 executable");
    }
    if (!result.succeeded()) {
      return CheckResult.fail(name, binary + " version " + describeFailure(result),
          "reinstall rkt v" + EXPECTED_VERSION);
    }

    Matcher version = VERSION.matcher(result.stdoutText());
    if (!version.find()) {
      return CheckResult.fail(name, binary + " version printed no \"rkt Version:\" line",
          "check that " + binary + " is rkt");
    }
    if (!version.group(1).equals(EXPECTED_VERSION)) {
      return CheckResult.warn(name, "rkt " + version.group(1) + " at " + binary
              + ", but rktlet is written for rkt " + EXPECTED_VERSION,
          "install rkt v" + EXPECTED_VERSION);
    }
    return CheckResult.ok(name, "rkt " + EXPECTED_VERSION + " at " + binary);
  }

  /**
   * Checks that {@code RKT_EXPERIMENT_APP=true} enables the {@code rkt app} commands, which
   * every CRI container call uses. Without the switch rkt rejects {@code app} as an unknown
   * command.
   */
  CheckResult appExperiment(boolean rktRuns) {
    String name = "rkt-app-api";
    if (!rktRuns) {
      return notChecked(name);
    }
    // NOTE: the output of a bare "rkt app" was not recorded from rkt v1.30.0. rkt's command
    // library (cobra) prints the usage of a command group and exits 0, as the test double does.
    ProcessResult result;
    try {
      result = run(command().words("app"), Map.of("RKT_EXPERIMENT_APP", "true"));
    } catch (IOException e) {
      return CheckResult.fail(name, "cannot run " + rkt.binary() + ": " + e.getMessage(), "");
    }
    if (!result.succeeded() || result.stderrText().contains("unknown command")) {
      return CheckResult.fail(name, "rkt app with RKT_EXPERIMENT_APP=true "
              + describeFailure(result),
          "install rkt v" + EXPECTED_VERSION + ", whose app commands rktlet needs");
    }
    return CheckResult.ok(name, "RKT_EXPERIMENT_APP=true enables rkt app");
  }

  /** Runs rkt with the global flags rktlet passes, so the data directory is the configured one. */
  private ProcessResult run(RktArgs args, Map<String, String> environment) throws IOException {
    return runner.run(new ProcessSpec(args.build(), environment, null, timeout, null));
  }

  private RktArgs command() {
    RktArgs args = RktArgs.command(rkt.binary().toString()).flag("dir", rkt.dataDir().toString());
    if (rkt.localConfig() != null) {
      args.flag("local-config", rkt.localConfig().toString());
    }
    return args;
  }

  static CheckResult notChecked(String name) {
    return CheckResult.warn(name, "not checked, because rkt cannot run",
        "fix the rkt-binary check first");
  }

  /** Describes a failed rkt run by its exit code and its first error line. */
  static String describeFailure(ProcessResult result) {
    if (result.timedOut()) {
      return "timed out after " + result.elapsed().toSeconds() + " s";
    }
    String text = "failed with exit code " + result.exitCode();
    String error = errorLine(result.stderrText());
    return error.isEmpty() ? text : text + ": " + error;
  }

  /**
   * Returns rkt's error line ({@code Error: ...}), or else the last line of stderr. rkt prints
   * harmless warnings about a missing "rkt" group before its errors.
   */
  private static String errorLine(String stderr) {
    List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return lines.stream()
        .filter(line -> line.startsWith("Error:"))
        .findFirst()
        .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
  }
}
