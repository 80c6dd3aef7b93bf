package io.rktlet.security;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A fake {@link ProcessRunner} that records each command and returns scripted results. */
final class RecordingRunner implements ProcessRunner {
  private final List<ProcessSpec> specs = new ArrayList<>();
  private final Function<ProcessSpec, ProcessResult> responder;

  RecordingRunner(Function<ProcessSpec, ProcessResult> responder) {
    this.responder = responder;
  }

  static RecordingRunner succeeding() {
    return new RecordingRunner(spec -> result(spec, 0, "", false));
  }

  static ProcessResult result(ProcessSpec spec, int exitCode, String stderr, boolean timedOut) {
    return new ProcessResult(spec.argv(), exitCode, new byte[0],
        stderr.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(3), timedOut);
  }

  @Override
  public ProcessResult run(ProcessSpec spec) {
    specs.add(spec);
    return responder.apply(spec);
  }

  List<ProcessSpec> specs() {
    return List.copyOf(specs);
  }
}
