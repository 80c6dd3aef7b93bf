package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rktlet.cri.v1.Capability;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ExecSyncRequest;
import io.rktlet.cri.v1.ExecSyncResponse;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.Mount;
import io.rktlet.cri.v1.MountPropagation;
import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.SecurityProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Security context fields are honoured, or rejected with the field and the reason. */
class SecurityIT extends RktletTestBase {

  static Stream<Arguments> unsupportedContainerSettings() {
    return Stream.of(
        rejected("capability the pod cannot grant", "NET_ADMIN",
            security -> security.setCapabilities(
                Capability.newBuilder().addAddCapabilities("NET_ADMIN"))),
        rejected("unknown capability", "CAP_FLY",
            security -> security.setCapabilities(
                Capability.newBuilder().addAddCapabilities("CAP_FLY"))),
        rejected("privileged in an unprivileged sandbox", "privileged",
            security -> security.setPrivileged(true)),
        rejected("host PID namespace", "namespace_options.pid",
            security -> security.getNamespaceOptionsBuilder().setPid(NamespaceMode.NODE)),
        rejected("SELinux label", "selinux_options",
            security -> security.getSelinuxOptionsBuilder().setType("container_t")),
        rejected("AppArmor localhost profile", "apparmor",
            security -> security.setApparmor(SecurityProfile.newBuilder()
                .setProfileType(SecurityProfile.ProfileType.Localhost)
                .setLocalhostRef("my-profile"))),
        rejected("missing seccomp profile file", "seccomp",
            security -> security.setSeccomp(SecurityProfile.newBuilder()
                .setProfileType(SecurityProfile.ProfileType.Localhost)
                .setLocalhostRef("/nonexistent/profile.json"))));
  }

  private static Arguments rejected(String description, String expectedInMessage,
      Consumer<LinuxContainerSecurityContext.Builder> change) {
    return Arguments.of(description, expectedInMessage, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedContainerSettings")
  void unsupportedSettingIsRejected(String description, String expectedInMessage,
      Consumer<LinuxContainerSecurityContext.Builder> change) {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    ContainerConfig.Builder config =
        Requests.container("app", "busybox", List.of("/bin/sleep", "300")).toBuilder();
    change.accept(config.getLinuxBuilder().getSecurityContextBuilder());

    assertThatThrownBy(() -> cri.runtime().createContainer(
        Requests.create(podId, config.build(), pod)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains(expectedInMessage);
        });
  }

  @Test
  void bidirectionalPropagationIsRejected() throws Exception {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    Path data = Files.createDirectories(dir.resolve("data"));
    ContainerConfig config = Requests.container("app", "busybox", List.of("/bin/true"))
        .toBuilder()
        .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath(data.toString())
            .setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL))
        .build();

    assertThatThrownBy(() -> cri.runtime().createContainer(Requests.create(podId, config, pod)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("config.mounts[0]");
        });
  }

  @Test
  void hostNamespaceSysctlIsRejected() {
    PodSandboxConfig pod = podConfig("web").toBuilder()
        .setLinux(podConfig("web").getLinux().toBuilder().putSysctls("vm.swappiness", "10"))
        .build();

    assertThatThrownBy(() -> runPod(pod))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("vm.swappiness");
        });
  }

  @Test
  void namespacedSysctlsAreSetInsideThePod() throws Exception {
    pull("busybox");
    String hostValue = Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")).strip();
    String wanted = hostValue.equals("1") ? "0" : "1";
    PodSandboxConfig pod = podConfig("web").toBuilder()
        .setLinux(podConfig("web").getLinux().toBuilder()
            .putSysctls("kernel.shm_rmid_forced", wanted)
            .putSysctls("net.ipv4.ip_unprivileged_port_start", "81"))
        .build();
    String podId = runPod(pod);
    String id = startContainer(podId, pod, "app", List.of("/bin/sleep", "300"));

    ExecSyncResponse inside = exec(id, "cat", "/proc/sys/kernel/shm_rmid_forced",
        "/proc/sys/net/ipv4/ip_unprivileged_port_start");

    assertThat(inside.getStdout().toStringUtf8()).isEqualTo(wanted + "\n81\n");
    assertThat(Files.readString(Path.of("/proc/sys/kernel/shm_rmid_forced")).strip())
        .isEqualTo(hostValue);
  }

  @Test
  void localhostSeccompProfileAppliesToExec() throws Exception {
    pull("busybox");
    Path profile = Files.writeString(dir.resolve("no-mkdir.json"), "{\"defaultAction\": "
        + "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], "
        + "\"action\": \"SCMP_ACT_ERRNO\"}]}");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    ContainerConfig.Builder config =
        Requests.container("app", "busybox", List.of("/bin/sleep", "300")).toBuilder();
    config.getLinuxBuilder().getSecurityContextBuilder().setSeccomp(SecurityProfile.newBuilder()
        .setProfileType(SecurityProfile.ProfileType.Localhost)
        .setLocalhostRef(profile.toString()));
    String id = cri.runtime().createContainer(Requests.create(podId, config.build(), pod))
        .getContainerId();
    cri.runtime().startContainer(io.rktlet.cri.v1.StartContainerRequest.newBuilder()
        .setContainerId(id).build());
    Path target = dir.resolve("made-by-exec");

    ExecSyncResponse result = exec(id, "mkdir", target.toString());

    assertThat(result.getExitCode()).isNotZero();
    assertThat(result.getStderr().toStringUtf8()).contains("Operation not permitted");
    assertThat(target).doesNotExist();
  }

  @Test
  void readOnlyRootfsKeepsOtherMountsWritable() throws Exception {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    ContainerConfig.Builder config =
        Requests.container("app", "busybox", List.of("/bin/sleep", "300")).toBuilder();
    config.getLinuxBuilder().getSecurityContextBuilder().setReadonlyRootfs(true);
    String id = cri.runtime().createContainer(Requests.create(podId, config.build(), pod))
        .getContainerId();
    cri.runtime().startContainer(io.rktlet.cri.v1.StartContainerRequest.newBuilder()
        .setContainerId(id).build());
    String probe = "/rktlet-ro-probe-" + System.nanoTime();

    // The test double runs apps on the host's root: the exec'd command must see it read-only
    // while the host's own root stays writable.
    ExecSyncResponse onRoot = exec(id, "sh", "-c", "touch " + probe);
    ExecSyncResponse onShm = exec(id, "sh", "-c", "touch /dev/shm" + probe + " && rm /dev/shm"
        + probe);

    assertThat(onRoot.getExitCode()).isNotZero();
    assertThat(onRoot.getStderr().toStringUtf8()).contains("Read-only file system");
    assertThat(onShm.getExitCode()).isZero();
    assertThat(Path.of(probe)).doesNotExist();
    Path hostProbe = Files.createFile(Path.of(probe));
    Files.delete(hostProbe);
  }

  private ExecSyncResponse exec(String id, String... command) {
    return cri.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of(command)).setTimeout(20).build());
  }
}
