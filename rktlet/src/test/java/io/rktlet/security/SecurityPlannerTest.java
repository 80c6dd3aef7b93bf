package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.Capability;
import io.rktlet.cri.v1.Device;
import io.rktlet.cri.v1.Int64Value;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.LinuxSandboxSecurityContext;
import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.NamespaceOption;
import io.rktlet.cri.v1.SecurityProfile;
import io.rktlet.errors.CriException;
import io.rktlet.rkt.AppSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecurityPlannerTest {
  private static final String PREFIX = "config.linux.security_context";
  private static final LinuxSandboxSecurityContext SANDBOX =
      LinuxSandboxSecurityContext.getDefaultInstance();
  private static final List<String> KUBELET_MASKED = List.of("/proc/asound", "/proc/acpi",
      "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
      "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
      "/sys/devices/virtual/powercap");
  private static final List<String> KUBELET_READ_ONLY = List.of("/proc/bus", "/proc/fs",
      "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private final SecurityPlanner planner = planner(PodCapabilityBound.nspawnDefault());

  @Test
  void kubeletDefaultContainer() {
    LinuxContainerSecurityContext context = kubeletDefault().build();

    SecurityPlan plan = planner.plan(context, SANDBOX, List.of(), null, null);

    assertThat(plan.rktUser()).isEqualTo("0");
    assertThat(plan.rktGroup()).isEqualTo("0");
    assertThat(plan.rktCapsRetain()).containsExactly("CAP_CHOWN", "CAP_DAC_OVERRIDE",
        "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE",
        "CAP_SETFCAP");
    assertThat(plan.rktSeccomp()).isEqualTo("mode=retain,@appc.io/all");
    assertThat(plan.supervisorLines()).containsExactly("user=0", "groups=",
        "groups_policy=merge", "caps=CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,"
            + "CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_NET_RAW,"
            + "CAP_SYS_CHROOT,CAP_MKNOD,CAP_AUDIT_WRITE,CAP_SETFCAP",
        "ambient=", "no_new_privs=0");
    assertThat(plan.pathRestrictions()).hasSize(16);
    assertThat(plan.pathRestrictions().get(0))
        .isEqualTo(new PathRestriction("/proc/asound", PathRestriction.Kind.MASK));
    assertThat(plan.pathRestrictions().get(15))
        .isEqualTo(new PathRestriction("/proc/sysrq-trigger", PathRestriction.Kind.READ_ONLY));
  }

  @Test
  void restrictedContainer() {
    LinuxContainerSecurityContext context = kubeletDefault()
        .setCapabilities(Capability.newBuilder().addDropCapabilities("ALL")
            .addAddCapabilities("NET_BIND_SERVICE"))
        .setRunAsUser(Int64Value.newBuilder().setValue(1000))
        .setRunAsGroup(Int64Value.newBuilder().setValue(3000))
        .addSupplementalGroups(2000)
        .setNoNewPrivs(true)
        .setReadonlyRootfs(true)
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.RuntimeDefault))
        .build();

    SecurityPlan plan = planner.plan(context, SANDBOX, List.of(), "nobody", "nogroup");

    assertThat(plan.rktCapsRetain()).containsExactly("CAP_SETGID", "CAP_SETUID",
        "CAP_SETPCAP", "CAP_NET_BIND_SERVICE");
    assertThat(plan.rktSeccomp()).startsWith("mode=remove,_sysctl,acct,add_key,bpf,chroot,");
    assertThat(plan.rktSeccomp()).endsWith(",errno=EPERM");
    assertThat(plan.supervisorLines()).containsExactly("user=1000", "group=3000",
        "groups=2000", "groups_policy=merge", "caps=CAP_NET_BIND_SERVICE", "ambient=",
        "no_new_privs=1", "seccomp=" + plan.seccomp().supervisorValue());
    assertThat(plan.seccomp().supervisorValue()).startsWith("remove:_sysctl,acct,");
    assertThat(plan.rktSecurity()).isEqualTo(new AppSpec.Security(true, plan.rktCapsRetain(),
        List.of(), plan.rktSeccomp()));
  }

  @Test
  void allowListProfileAdmitsSupervisorInRktOnly() throws Exception {
    LinuxContainerSecurityContext context = kubeletDefault()
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.Localhost)
            .setLocalhostRef(SeccompPlannerTest.resource("allow-list-enosys.json")))
        .build();

    SecurityPlan plan = planner.plan(context, SANDBOX, List.of(), null, null);

    assertThat(plan.rktSeccomp()).startsWith("mode=retain,").contains(",setresuid,")
        .endsWith(",errno=ENOSYS");
    assertThat(plan.supervisorLines()).contains("seccomp=retain:read,write;errno=ENOSYS");
  }

  @Test
  void imageUserUsedWithoutRunAsUser() {
    SecurityPlan plan = planner.plan(kubeletDefault().build(), SANDBOX, List.of(), "www",
        "www-data");

    assertThat(plan.supervisorLines()).startsWith("user=www", "group=www-data");
  }

  @Test
  void devicesArePlanned() {
    SecurityPlanner withDevice = new SecurityPlanner(PodCapabilityBound.nspawnDefault(),
        new HostPlatform("amd64", "6.1.0"), new LsmPolicy(false, false),
        new DevicePlanner(path -> Optional.of(new DevicePlanner.DeviceNode(path, 'c', 10, 229))));
    Device fuse = Device.newBuilder().setContainerPath("/dev/fuse").setHostPath("/dev/fuse")
        .setPermissions("rwm").build();

    SecurityPlan plan = withDevice.plan(kubeletDefault().build(), SANDBOX, List.of(fuse), null,
        null);

    assertThat(plan.devices()).containsExactly(
        new DeviceBind(Path.of("/dev/fuse"), "/dev/fuse", 'c', 10, 229, "rwm"));
  }

  @Test
  void privilegedInUnprivilegedSandboxIsRejected() {
    LinuxContainerSecurityContext context = kubeletDefault().setPrivileged(true).build();
    SecurityPlanner complete = planner(PodCapabilityBound.of(
        EnumSet.allOf(io.rktlet.security.Capability.class)));

    assertThatThrownBy(() -> complete.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".privileged")
        .hasMessageContaining("privileged sandboxes");
  }

  @Test
  void privilegedNamesMissingCapabilitiesBeforeSandbox() {
    LinuxContainerSecurityContext context = kubeletDefault().setPrivileged(true).build();

    // A rkt pod lacks capabilities such as NET_ADMIN, so no privileged sandbox would help.
    assertThatThrownBy(() -> planner.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("CAP_NET_ADMIN")
        .hasMessageNotContaining("privileged sandboxes");
  }

  @Test
  void privilegedIsRejectedForNspawnBound() {
    LinuxContainerSecurityContext context = kubeletDefault().setPrivileged(true).build();
    LinuxSandboxSecurityContext sandbox =
        LinuxSandboxSecurityContext.newBuilder().setPrivileged(true).build();

    assertThatThrownBy(() -> planner.plan(context, sandbox, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("CAP_NET_ADMIN");
  }

  @Test
  void privilegedWithCompleteBoundIsUnconfined() {
    SecurityPlanner complete = planner(PodCapabilityBound.of(
        EnumSet.allOf(io.rktlet.security.Capability.class)));
    LinuxContainerSecurityContext context = kubeletDefault().setPrivileged(true)
        .clearMaskedPaths().clearReadonlyPaths().addMaskedPaths("/proc/kcore").build();
    LinuxSandboxSecurityContext sandbox =
        LinuxSandboxSecurityContext.newBuilder().setPrivileged(true).build();

    SecurityPlan plan = complete.plan(context, sandbox, List.of(), null, null);

    assertThat(plan.privileged()).isTrue();
    assertThat(plan.capabilities().container()).hasSize(41);
    assertThat(plan.seccomp()).isEqualTo(SeccompFilter.unconfined());
    assertThat(plan.pathRestrictions()).isEmpty();
  }

  @Test
  void rejectsNetAdmin() {
    LinuxContainerSecurityContext context = kubeletDefault()
        .setCapabilities(Capability.newBuilder().addAddCapabilities("NET_ADMIN")).build();

    assertThatThrownBy(() -> planner.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".capabilities.add_capabilities \"CAP_NET_ADMIN\"");
  }

  @Test
  void rejectsHostPidNamespace() {
    LinuxContainerSecurityContext context = kubeletDefault()
        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.NODE)).build();

    assertThatThrownBy(() -> planner.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".namespace_options.pid");
  }

  @Test
  void rejectsAppArmorProfile() {
    LinuxContainerSecurityContext context = kubeletDefault()
        .setApparmor(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.Localhost).setLocalhostRef("custom"))
        .build();

    assertThatThrownBy(() -> planner.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".apparmor.localhost_ref");
  }

  @Test
  void rejectsRelativeMaskedPath() {
    LinuxContainerSecurityContext context = kubeletDefault().addMaskedPaths("proc/x").build();

    assertThatThrownBy(() -> planner.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".masked_paths[11]");
  }

  @Test
  void rejectsUnnormalizedReadOnlyPath() {
    LinuxContainerSecurityContext context =
        kubeletDefault().addReadonlyPaths("/proc/../etc").build();

    assertThatThrownBy(() -> planner.plan(context, SANDBOX, List.of(), null, null))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".readonly_paths[5]")
        .hasMessageContaining("normalized");
  }

  private static SecurityPlanner planner(PodCapabilityBound bound) {
    return new SecurityPlanner(bound, new HostPlatform("amd64", "6.1.0"),
        new LsmPolicy(false, false),
        new DevicePlanner(path -> Optional.empty()));
  }

  private static LinuxContainerSecurityContext.Builder kubeletDefault() {
    return LinuxContainerSecurityContext.newBuilder()
        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.Unconfined))
        .addAllMaskedPaths(KUBELET_MASKED)
        .addAllReadonlyPaths(KUBELET_READ_ONLY);
  }
}
