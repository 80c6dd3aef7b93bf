package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.LinuxPodSandboxConfig;
import io.rktlet.cri.v1.LinuxSandboxSecurityContext;
import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.NamespaceOption;
import io.rktlet.cri.v1.SELinuxOption;
import io.rktlet.errors.CriException;
import org.junit.jupiter.api.Test;

class SandboxSecurityPlannerTest {
  private final SandboxSecurityPlanner planner = new SandboxSecurityPlanner(
      PodCapabilityBound.nspawnDefault(), new LsmPolicy(false, false));

  @Test
  void plansSysctlsForPodNetwork() {
    LinuxPodSandboxConfig linux = LinuxPodSandboxConfig.newBuilder()
        .putSysctls("net.ipv4.ip_unprivileged_port_start", "0").build();

    SandboxSecurityPlanner.SandboxSecurityPlan plan = planner.plan(linux);

    assertThat(plan.hostNetwork()).isFalse();
    assertThat(plan.sysctls().sysctls()).extracting(Sysctl::name)
        .containsExactly("net.ipv4.ip_unprivileged_port_start");
  }

  @Test
  void rejectsNetSysctlWithHostNetwork() {
    LinuxPodSandboxConfig linux = LinuxPodSandboxConfig.newBuilder()
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(
            NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE)))
        .putSysctls("net.ipv4.ip_forward", "1").build();

    assertThatThrownBy(() -> planner.plan(linux))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("config.linux.sysctls")
        .hasMessageContaining("host's network namespace");
  }

  @Test
  void rejectsPrivilegedSandbox() {
    LinuxPodSandboxConfig linux = LinuxPodSandboxConfig.newBuilder()
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setPrivileged(true))
        .build();

    assertThatThrownBy(() -> planner.plan(linux))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("config.linux.security_context.privileged")
        .hasMessageContaining("CAP_NET_ADMIN");
  }

  @Test
  void rejectsSelinuxLabel() {
    LinuxPodSandboxConfig linux = LinuxPodSandboxConfig.newBuilder()
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setSelinuxOptions(SELinuxOption.newBuilder().setLevel("s0:c1")))
        .build();

    assertThatThrownBy(() -> planner.plan(linux))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("config.linux.security_context.selinux_options");
  }

  @Test
  void acceptsKubeletDefaults() {
    LinuxPodSandboxConfig linux = LinuxPodSandboxConfig.newBuilder()
        .setCgroupParent("/kubepods/besteffort/pod123")
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(
            NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER)))
        .build();

    assertThat(planner.plan(linux).sysctls().isEmpty()).isTrue();
  }
}
