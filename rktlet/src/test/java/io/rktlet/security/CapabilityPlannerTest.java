package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapabilityPlannerTest {
  private static final String FIELD = "config.linux.security_context.capabilities";
  private static final String DEFAULT_NAMES = "AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID"
      + " KILL MKNOD NET_BIND_SERVICE NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_CHROOT";

  private final CapabilityPlanner planner =
      new CapabilityPlanner(PodCapabilityBound.nspawnDefault());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "nothing requested      | ''                 | ''                | ''        | "
          + DEFAULT_NAMES,
      "add one                | SYS_PTRACE         | ''                | ''        | "
          + DEFAULT_NAMES + " SYS_PTRACE",
      "drop one with prefix   | ''                 | CAP_NET_RAW       | ''        | AUDIT_WRITE"
          + " CHOWN DAC_OVERRIDE FOWNER FSETID KILL MKNOD NET_BIND_SERVICE SETFCAP SETGID"
          + " SETPCAP SETUID SYS_CHROOT",
      "drop ALL               | ''                 | ALL               | ''        | ''",
      "drop ALL add one       | NET_BIND_SERVICE   | ALL               | ''        | "
          + "NET_BIND_SERVICE",
      "drop all lower case    | chown              | all               | ''        | CHOWN",
      "add and drop same      | SYS_NICE           | SYS_NICE          | ''        | "
          + DEFAULT_NAMES,
      "ambient joins the set  | ''                 | ALL               | NET_BIND_SERVICE | "
          + "NET_BIND_SERVICE",
      "ambient survives drop  | ''                 | NET_BIND_SERVICE  | NET_BIND_SERVICE | "
          + DEFAULT_NAMES,
  })
  void appliesAddThenDrop(String description, String add, String drop, String ambient,
      String expected) {
    CapabilitySets sets = planner.plan(request(add, drop, ambient), FIELD);

    assertThat(sets.container()).isEqualTo(caps(expected));
    assertThat(sets.ambient()).isEqualTo(caps(ambient));
  }

  @Test
  void addAllIsRejectedForNetAdmin() {
    assertThatThrownBy(() -> planner.plan(request("ALL", "", ""), FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(FIELD + ".add_capabilities")
        .hasMessageContaining("CAP_NET_ADMIN")
        .hasMessageContaining("cannot be granted");
  }

  @Test
  void addAllWithCompleteBoundThenDrop() {
    CapabilityPlanner complete =
        new CapabilityPlanner(PodCapabilityBound.of(EnumSet.allOf(Capability.class)));

    CapabilitySets sets = complete.plan(request("ALL", "CHOWN", ""), FIELD);

    Set<Capability> expected = EnumSet.allOf(Capability.class);
    expected.remove(Capability.CHOWN);
    assertThat(sets.container()).isEqualTo(expected);
  }

  @Test
  void rejectsNetAdmin() {
    assertThatThrownBy(() -> planner.plan(request("NET_ADMIN", "", ""), FIELD))
        .isInstanceOfSatisfying(CriException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("invalid " + FIELD + ".add_capabilities \"CAP_NET_ADMIN\"")
        .hasMessageContaining("systemd-nspawn");
  }

  @Test
  void rejectsAmbientCapabilityOutsidePod() {
    assertThatThrownBy(() -> planner.plan(request("", "", "SYS_TIME"), FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(FIELD + ".add_ambient_capabilities")
        .hasMessageContaining("CAP_SYS_TIME");
  }

  @Test
  void rejectsUnknownNameWithField() {
    assertThatThrownBy(() -> planner.plan(request("", "NOT_A_CAP", ""), FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + FIELD + ".drop_capabilities \"NOT_A_CAP\"")
        .hasMessageContaining("not a Linux capability name");
  }

  @Test
  void rktRetainAddsSupervisorCaps() {
    CapabilitySets sets = planner.plan(request("", "ALL", ""), FIELD);

    assertThat(sets.container()).isEmpty();
    assertThat(sets.rktCapsRetain())
        .containsExactly("CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP");
    assertThat(sets.supervisorCaps()).isEmpty();
  }

  @Test
  void supervisorValuesAreInBitOrder() {
    CapabilitySets sets = planner.plan(request("KILL,CHOWN", "ALL", "CHOWN"), FIELD);

    assertThat(sets.supervisorCaps()).isEqualTo("CAP_CHOWN,CAP_KILL");
    assertThat(sets.supervisorAmbient()).isEqualTo("CAP_CHOWN");
    assertThat(sets.rktCapsRetain()).containsExactly(
        "CAP_CHOWN", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP");
  }

  @Test
  void privilegedRejectedNamingMissingCaps() {
    assertThatThrownBy(() -> planner.planPrivileged("config.linux.security_context.privileged"))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid config.linux.security_context.privileged \"true\"")
        .hasMessageContaining("CAP_NET_ADMIN")
        .hasMessageContaining("CAP_SYS_MODULE")
        .hasMessageNotContaining("CAP_SYS_ADMIN,");
  }

  @Test
  void privilegedWithCompleteBound() {
    CapabilityPlanner complete =
        new CapabilityPlanner(PodCapabilityBound.of(EnumSet.allOf(Capability.class)));

    CapabilitySets sets = complete.planPrivileged("privileged");

    assertThat(sets.container()).isEqualTo(EnumSet.allOf(Capability.class));
    assertThat(sets.ambient()).isEmpty();
  }

  private static io.rktlet.cri.v1.Capability request(String add, String drop, String ambient) {
    return io.rktlet.cri.v1.Capability.newBuilder()
        .addAllAddCapabilities(split(add, ","))
        .addAllDropCapabilities(split(drop, ","))
        .addAllAddAmbientCapabilities(split(ambient, ","))
        .build();
  }

  private static Set<Capability> caps(String names) {
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    for (String name : split(names, "[ ,]")) {
      caps.add(Capability.parse(name).orElseThrow());
    }
    return caps;
  }

  private static List<String> split(String text, String separator) {
    return Arrays.stream(text.split(separator)).filter(s -> !s.isBlank())
        .collect(Collectors.toList());
  }
}
