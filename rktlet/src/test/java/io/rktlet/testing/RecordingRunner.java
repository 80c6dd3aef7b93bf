package io.rktlet.testing;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A ProcessRunner that records every spec and answers with queued results. */
public final class RecordingRunner implements ProcessRunner {
  private final List<ProcessSpec> specs = new ArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();

  /** A canned process outcome. */
  public record Answer(int exitCode, String stdout, String stderr, boolean timedOut) {}

  public RecordingRunner answer(int exitCode, String stdout, String stderr) {
    answers.add(new Answer(exitCode, stdout, stderr, false));
    return this;
  }

  public RecordingRunner answer(Transcripts.Entry entry) {
    return answer(((Number) entry.exitCode()).intValue(), entry.stdout(), entry.stderr());
  }

  public RecordingRunner timeout() {
    answers.add(new Answer(-1, "", "", true));
    return this;
  }

  @Override
  public synchronized ProcessResult run(ProcessSpec spec) {
    specs.add(spec);
    Answer answer = answers.isEmpty() ? new Answer(0, "", "", false) : answers.removeFirst();
    return new ProcessResult(spec.argv(), answer.exitCode(),
        answer.stdout().getBytes(StandardCharsets.UTF_8),
        answer.stderr().getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1),
        answer.timedOut());
  }

  public synchronized List<ProcessSpec> specs() {
    return List.copyOf(specs);
  }

  public synchronized List<String> lastArgv() {
    return specs.get(specs.size() - 1).argv();
  }
}
