package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.config.LauncherKind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LaunchersTest {

  static Stream<Arguments> choices() {
    return Stream.of(
        Arguments.of("auto with systemd as init", LauncherKind.AUTO, true, SystemdLauncher.class),
        Arguments.of("auto without systemd", LauncherKind.AUTO, false, DetachedLauncher.class),
        Arguments.of("systemd forced", LauncherKind.SYSTEMD, false, SystemdLauncher.class),
        Arguments.of("detached forced", LauncherKind.DETACHED, true, DetachedLauncher.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("choices")
  void choosesLauncher(String description, LauncherKind kind, boolean systemdIsInit,
      Class<? extends SandboxLauncher> expected) {
    SandboxLauncher launcher =
        Launchers.choose(kind, new RecordingProcessRunner(), () -> systemdIsInit);

    assertThat(launcher).isInstanceOf(expected);
  }
}
