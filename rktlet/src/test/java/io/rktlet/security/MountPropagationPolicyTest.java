package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.MountPropagation;
import io.rktlet.errors.CriException;
import io.rktlet.host.Mounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountPropagationPolicyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "PROPAGATION_PRIVATE,           PRIVATE",
      "PROPAGATION_HOST_TO_CONTAINER, HOST_TO_CONTAINER",
  })
  void mapsSupportedModes(MountPropagation propagation, Mounter.Propagation expected) {
    assertThat(MountPropagationPolicy.of(propagation, "config.mounts[0]")).isEqualTo(expected);
  }

  @Test
  void rejectsBidirectional() {
    assertThatThrownBy(() -> MountPropagationPolicy.of(
        MountPropagation.PROPAGATION_BIDIRECTIONAL, "config.mounts[2]"))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid config.mounts[2].propagation")
        .hasMessageContaining("systemd-nspawn makes the pod's mounts slaves");
  }
}
