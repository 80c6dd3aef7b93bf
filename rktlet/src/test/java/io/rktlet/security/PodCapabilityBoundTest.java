package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCapabilityBoundTest {
  @TempDir Path dir;

  @Test
  void nspawnDefaultLacksNetAdmin() {
    PodCapabilityBound bound = PodCapabilityBound.nspawnDefault();

    assertThat(bound.contains(Capability.NET_ADMIN)).isFalse();
    assertThat(bound.contains(Capability.SYS_ADMIN)).isTrue();
    assertThat(bound.capabilities()).containsAll(CapabilityPlanner.DEFAULT);
    assertThat(bound.capabilities()).hasSize(26);
  }

  @Test
  void hostBoundWithoutSysResourceNarrowsIt() throws IOException {
    // rkt app exec showed CapEff 000001fffeffffff: every capability but CAP_SYS_RESOURCE.
    Path status = Files.writeString(dir.resolve("status"),
        "Name:\tjava\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n");

    PodCapabilityBound bound = PodCapabilityBound.nspawnDefaultWithin(status);

    assertThat(bound.contains(Capability.SYS_RESOURCE)).isFalse();
    assertThat(bound.capabilities()).hasSize(25);
  }

  @Test
  void statusWithoutBoundingSetIsAnError() throws IOException {
    Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\n");

    assertThatThrownBy(() -> PodCapabilityBound.nspawnDefaultWithin(status))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no CapBnd line");
  }

  @Test
  void malformedMaskIsAnError() throws IOException {
    Path status = Files.writeString(dir.resolve("status"), "CapBnd:\tzz\n");

    assertThatThrownBy(() -> PodCapabilityBound.nspawnDefaultWithin(status))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("invalid CapBnd mask zz");
  }
}
