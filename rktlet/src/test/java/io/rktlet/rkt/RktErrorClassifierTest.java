package io.rktlet.rkt;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.testing.Transcripts;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RktErrorClassifierTest {

  static Stream<Arguments> recordedFailures() {
    return Stream.of(
        Arguments.of("errors.jsonl", "status of a nonexistent UUID", RktFailure.POD_NOT_FOUND),
        Arguments.of("errors.jsonl", "stop of a nonexistent UUID", RktFailure.POD_NOT_FOUND),
        Arguments.of("errors.jsonl", "rm of a nonexistent UUID", RktFailure.POD_NOT_FOUND),
        Arguments.of("errors.jsonl", "ambiguous UUID prefix", RktFailure.AMBIGUOUS_UUID),
        Arguments.of("errors.jsonl", "app status of a nonexistent app",
            RktFailure.APP_NOT_FOUND),
        Arguments.of("errors.jsonl", "app start of a nonexistent app",
            RktFailure.APP_NOT_FOUND),
        Arguments.of("errors.jsonl", "app exec into a nonexistent app",
            RktFailure.APP_NOT_FOUND),
        Arguments.of("errors.jsonl", "duplicate app name", RktFailure.APP_ALREADY_EXISTS),
        Arguments.of("errors.jsonl", "uppercase app name", RktFailure.INVALID_APP_NAME),
        Arguments.of("errors.jsonl", "trailing hyphen", RktFailure.INVALID_APP_NAME),
        Arguments.of("errors.jsonl", "app add into an exited pod", RktFailure.POD_NOT_RUNNING),
        Arguments.of("errors.jsonl", "enter into an exited pod", RktFailure.POD_NOT_RUNNING),
        Arguments.of("errors.jsonl", "rm of a running pod", RktFailure.POD_RUNNING),
        Arguments.of("errors.jsonl", "image not in the store (by name)",
            RktFailure.IMAGE_NOT_FOUND),
        Arguments.of("errors.jsonl", "image not in the store (by sha512 id)",
            RktFailure.IMAGE_NOT_FOUND),
        Arguments.of("errors.jsonl", "nonexistent docker tag", RktFailure.IMAGE_NOT_IN_REGISTRY),
        Arguments.of("errors.jsonl", "nonexistent repository",
            RktFailure.IMAGE_NOT_IN_REGISTRY),
        Arguments.of("errors.jsonl", "closed port", RktFailure.REGISTRY_UNREACHABLE),
        Arguments.of("errors.jsonl", "without insecure http option",
            RktFailure.REGISTRY_NOT_HTTPS),
        Arguments.of("errors.jsonl", "app start of that half-added app", RktFailure.UNKNOWN));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("recordedFailures")
  void classifiesRecordedStderr(String file, String note, RktFailure expected) {
    Transcripts.Entry entry = Transcripts.find(file, note);

    assertThat(RktErrorClassifier.classify(entry.stderr())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("recordedFailures")
  void recordedFailuresExitNonZero(String file, String note, RktFailure expected) {
    Transcripts.Entry entry = Transcripts.find(file, note);

    assertThat(((Number) entry.exitCode()).intValue()).isNotZero();
  }
}
