package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapabilityTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "bare upper case,          NET_ADMIN,          NET_ADMIN",
      "with prefix,              CAP_NET_ADMIN,      NET_ADMIN",
      "lower case,               sys_time,           SYS_TIME",
      "mixed case with prefix,   Cap_Chown,          CHOWN",
      "surrounding blanks,       ' kill ',           KILL",
      "newest known,             CHECKPOINT_RESTORE, CHECKPOINT_RESTORE",
  })
  void parsesNames(String description, String name, Capability expected) {
    assertThat(Capability.parse(name)).contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ALL is no capability, ALL", "prefix alone, CAP_", "dash, NET-ADMIN",
      "unknown, CAP_FOO", "empty, ''"})
  void rejectsUnknownNames(String description, String name) {
    assertThat(Capability.parse(name)).isEmpty();
  }

  @ParameterizedTest(name = "{0} is bit {1}")
  @CsvSource({"CHOWN, 0", "SETPCAP, 8", "NET_ADMIN, 12", "SYS_ADMIN, 21", "SYS_RESOURCE, 24",
      "SETFCAP, 31", "CHECKPOINT_RESTORE, 40"})
  void bitsFollowTheKernel(Capability capability, int bit) {
    assertThat(capability.bit()).isEqualTo(bit);
  }

  @Test
  void rktDefaultAppMaskIsTheDefaultSet() {
    // CapBnd of an app started without --caps-retain in security.jsonl.
    assertThat(Capability.fromMask(0xa80425fbL)).isEqualTo(CapabilityPlanner.DEFAULT);
  }

  @Test
  void capsRemoveMaskMatchesTranscript() {
    // CapBnd of app k2 (--caps-remove=CAP_NET_RAW,CAP_CHOWN) in security.jsonl.
    Set<Capability> expected = EnumSet.copyOf(CapabilityPlanner.DEFAULT);
    expected.removeAll(Set.of(Capability.NET_RAW, Capability.CHOWN));

    assertThat(Capability.fromMask(0xa80405faL)).isEqualTo(expected);
  }

  @Test
  void maskRoundTrips() {
    Set<Capability> all = EnumSet.allOf(Capability.class);

    assertThat(Capability.toMask(all)).isEqualTo(0x1ffffffffffL);
    assertThat(Capability.fromMask(Capability.toMask(all))).isEqualTo(all);
  }

  @Test
  void capNameHasPrefix() {
    assertThat(Capability.NET_BIND_SERVICE.capName()).isEqualTo("CAP_NET_BIND_SERVICE");
  }
}
