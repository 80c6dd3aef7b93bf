package io.rktlet.host;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A fake {@link ProcessRunner} that records every command and returns scripted results. */
final class RecordingProcessRunner implements ProcessRunner {
  private final List<ProcessSpec> specs = new ArrayList<>();
  private Function<List<String>, ProcessResult> responder = RecordingProcessRunner::success;

  /** Sets the result returned for each argument vector. By default every command succeeds. */
  RecordingProcessRunner respondWith(Function<List<String>, ProcessResult> responder) {
    this.responder = responder;
    return this;
  }

  @Override
  public synchronized ProcessResult run(ProcessSpec spec) {
    specs.add(spec);
    return responder.apply(spec.argv());
  }

  synchronized List<List<String>> commands() {
    List<List<String>> commands = new ArrayList<>();
    for (ProcessSpec spec : specs) {
      commands.add(spec.argv());
    }
    return commands;
  }

  synchronized List<ProcessSpec> specs() {
    return List.copyOf(specs);
  }

  static ProcessResult success(List<String> argv) {
    return result(argv, 0, "", "");
  }

  static ProcessResult result(List<String> argv, int exitCode, String stdout, String stderr) {
    return new ProcessResult(argv, exitCode, stdout.getBytes(StandardCharsets.UTF_8),
        stderr.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(5), false);
  }

  static ProcessResult timeout(List<String> argv) {
    return new ProcessResult(argv, 137, new byte[0], new byte[0], Duration.ofSeconds(30), true);
  }
}
