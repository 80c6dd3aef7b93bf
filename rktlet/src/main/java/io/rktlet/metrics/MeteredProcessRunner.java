package io.rktlet.metrics;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.rkt.RktArgs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link ProcessRunner} that counts and times every run of the rkt binary by its subcommand
 * ({@code version}, {@code app add}, {@code image list}, ...). Other programs run through it
 * unmeasured. {@code rkt app sandbox} is started by a sandbox launcher, not through the runner,
 * so it is not counted.
 */
public final class MeteredProcessRunner implements ProcessRunner {
  private final ProcessRunner delegate;
  private final String rktBinary;
  private final Metrics metrics;

  public MeteredProcessRunner(ProcessRunner delegate, Path rktBinary, Metrics metrics) {
    this.delegate = delegate;
    this.rktBinary = rktBinary.toString();
    this.metrics = metrics;
  }

  @Override
  public ProcessResult run(ProcessSpec spec) throws IOException {
    if (!spec.argv().get(0).equals(rktBinary)) {
      return delegate.run(spec);
    }
    String subcommand = subcommandLabel(spec);
    long startNanos = System.nanoTime();
    ProcessResult result;
    try {
      result = delegate.run(spec);
    } catch (IOException | RuntimeException e) {
      metrics.recordRktInvocation(subcommand, Metrics.RktOutcome.ERROR,
          Duration.ofNanos(System.nanoTime() - startNanos));
      throw e;
    }
    Metrics.RktOutcome outcome = result.timedOut() ? Metrics.RktOutcome.TIMEOUT
        : result.succeeded() ? Metrics.RktOutcome.SUCCESS : Metrics.RktOutcome.FAILURE;
    metrics.recordRktInvocation(subcommand, outcome, result.elapsed());
    return result;
  }

  private static String subcommandLabel(ProcessSpec spec) {
    String words = RktArgs.subcommandOf(spec.argv());
    return words.isEmpty() ? "none" : words;
  }
}
