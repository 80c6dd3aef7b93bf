package io.rktlet.check;

import io.rktlet.config.ConfigResolver;
import io.rktlet.config.Options;
import io.rktlet.config.RktletConfig;
import io.rktlet.process.DefaultProcessRunner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rktlet check}: diagnoses the host before first use, one line per check. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Checks that this host can run rktlet with the given configuration and prints one line "
            + "per check: ok, warn or FAIL, what was found, and how to fix a problem. Takes "
            + "the same options as rktlet itself.",
        "Exit status: 0 when no check failed (warnings included), 1 when one did, 2 for an "
            + "invalid configuration."})
public final class CheckCommand implements Callable<Integer> {
  /** Deadline of each rkt command; the checks only run quick ones such as rkt version. */
  static final Duration RKT_TIMEOUT = Duration.ofSeconds(30);

  @Mixin
  private Options options = new Options();

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    rejectOptionsBeforeCheck();
    RktletConfig config = ConfigResolver.resolve(options);
    HostChecker checker = new HostChecker(config, HostRoots.system(config.host().cgroupRoot()),
        new DefaultProcessRunner(), DiskSpace.SYSTEM, RKT_TIMEOUT);
    return print(checker.run(), spec.commandLine().getOut());
  }

  /**
   * Rejects {@code rktlet --rkt=X check}: options given before the subcommand belong to the
   * server command and would be silently ignored.
   */
  private void rejectOptionsBeforeCheck() {
    CommandSpec parent = spec.parent();
    if (parent != null && !parent.commandLine().getParseResult().matchedOptions().isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "options must follow the word check, for example: rktlet check --config=FILE");
    }
  }

  /** Prints each result and a summary line; returns the exit status. */
  static int print(List<CheckResult> results, PrintWriter out) {
    results.forEach(result -> out.println(result.line()));
    out.println(summary(results));
    out.flush();
    return HostChecker.exitStatus(results);
  }

  static String summary(List<CheckResult> results) {
    long ok = count(results, CheckResult.Status.OK);
    long warn = count(results, CheckResult.Status.WARN);
    long failed = count(results, CheckResult.Status.FAIL);
    return String.format("%d ok, %d warn, %d FAIL", ok, warn, failed);
  }

  private static long count(List<CheckResult> results, CheckResult.Status status) {
    return results.stream().filter(result -> result.status() == status).count();
  }
}
