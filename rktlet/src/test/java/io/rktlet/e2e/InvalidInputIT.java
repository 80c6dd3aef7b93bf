package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.Mount;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PodSandboxMetadata;
import io.rktlet.cri.v1.PortMapping;
import io.rktlet.cri.v1.Protocol;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.RunPodSandboxRequest;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets INVALID_ARGUMENT (or NOT_FOUND) naming the field and value; nothing changes. */
class InvalidInputIT extends RktletTestBase {

  static Stream<Arguments> badSandboxes() {
    return Stream.of(
        bad("empty name", "config.metadata.name",
            c -> c.setMetadata(PodSandboxMetadata.newBuilder().setNamespace("default"))),
        bad("name over 253 characters", "config.metadata.name",
            c -> c.setMetadata(PodSandboxMetadata.newBuilder().setName("x".repeat(300)))),
        bad("hostname with a space", "config.hostname", c -> c.setHostname("a b")),
        bad("relative log directory", "config.log_directory", c -> c.setLogDirectory("logs")),
        bad("log directory with ..", "config.log_directory",
            c -> c.setLogDirectory("/var/log/pods/../../etc")),
        bad("dns server that is a name", "config.dns_config.servers[0]",
            c -> c.getDnsConfigBuilder().setServers(0, "dns.example.com")),
        bad("sctp port", "config.port_mappings[0].protocol",
            c -> c.addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.SCTP)
                .setContainerPort(80).setHostPort(8080))),
        bad("port out of range", "config.port_mappings[0].container_port",
            c -> c.addPortMappings(PortMapping.newBuilder().setContainerPort(70000))),
        bad("flag-like hostname", "config.hostname",
            c -> c.setHostname("--insecure-options=all")),
        bad("slice as cgroupfs parent", "config.linux.cgroup_parent",
            c -> c.getLinuxBuilder().setCgroupParent("kubepods.slice")),
        bad("cgroup parent with ..", "config.linux.cgroup_parent",
            c -> c.getLinuxBuilder().setCgroupParent("/ok/../x")),
        bad("negative pod cpu period", "config.linux.resources.cpu_period",
            c -> c.getLinuxBuilder().getResourcesBuilder().setCpuPeriod(-1)));
  }

  private static Arguments bad(String description, String field,
      Consumer<PodSandboxConfig.Builder> change) {
    return Arguments.of(description, field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSandboxes")
  void badSandboxIsRejected(String description, String field,
      Consumer<PodSandboxConfig.Builder> change) {
    PodSandboxConfig.Builder config = podConfig("web").toBuilder();
    change.accept(config);

    assertInvalid(() -> runPod(config.build()), field);
    assertThat(cri.runtime().listPodSandbox(
        io.rktlet.cri.v1.ListPodSandboxRequest.getDefaultInstance()).getItemsList()).isEmpty();
  }

  @Test
  void unknownRuntimeHandlerIsRejected() {
    assertInvalid(() -> cri.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder()
        .setConfig(podConfig("web")).setRuntimeHandler("kata").build()), "runtime_handler");
  }

  static Stream<Arguments> badContainers() {
    return Stream.<Arguments>of(
        badContainer("empty name", "config.metadata.name",
            c -> c.getMetadataBuilder().setName("")),
        badContainer("log path leaving the log directory", "config.log_path",
            c -> c.setLogPath("../../etc/passwd")),
        badContainer("absolute log path", "config.log_path", c -> c.setLogPath("/tmp/x.log")),
        badContainer("relative mount container path", "config.mounts[0].container_path",
            c -> c.addMounts(Mount.newBuilder().setContainerPath("data").setHostPath("/tmp"))),
        badContainer("missing mount host path", "config.mounts[0].host_path",
            c -> c.addMounts(Mount.newBuilder().setContainerPath("/data")
                .setHostPath("/nonexistent/rktlet-test"))),
        badContainer("argument rkt reads as the end of arguments", "config.args[0]",
            c -> c.addArgs("---")),
        badContainer("environment key with '='", "config.envs[1].key",
            c -> c.addEnvs(io.rktlet.cri.v1.KeyValue.newBuilder().setKey("A=B"))),
        badContainer("group without user", "run_as_group",
            c -> c.getLinuxBuilder().getSecurityContextBuilder()
                .setRunAsGroup(io.rktlet.cri.v1.Int64Value.newBuilder().setValue(5))));
  }

  private static Arguments badContainer(String description, String field,
      Consumer<ContainerConfig.Builder> change) {
    return Arguments.of(description, field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badContainers")
  void badContainerIsRejected(String description, String field,
      Consumer<ContainerConfig.Builder> change) {
    pull("busybox");
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);
    ContainerConfig.Builder config =
        Requests.container("app", "busybox", List.of("/bin/true")).toBuilder();
    change.accept(config);

    assertInvalid(() -> cri.runtime().createContainer(Requests.create(podId, config.build(),
        pod)), field);
    assertThat(cri.runtime().listContainers(
        io.rktlet.cri.v1.ListContainersRequest.getDefaultInstance()).getContainersList())
        .isEmpty();
  }

  @Test
  void imageThatWasNotPulledIsNotFound() {
    PodSandboxConfig pod = podConfig("web");
    String podId = runPod(pod);

    assertThatThrownBy(() -> cri.runtime().createContainer(Requests.create(podId,
        Requests.container("app", "never-pulled", List.of("/bin/true")), pod)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains("never-pulled");
        });
  }

  @Test
  void containerInUnknownSandboxIsNotFound() {
    assertThatThrownBy(() -> cri.runtime().createContainer(Requests.create("f".repeat(64),
        Requests.container("app", "busybox", List.of("/bin/true")), podConfig("web"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void badImageReferenceIsRejected() {
    assertInvalid(() -> cri.images().pullImage(PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage("Bad Name:tag")).build()), "Bad Name:tag");
  }

  @Test
  void rejectedSandboxLeavesNothingForRestart() throws Exception {
    PodSandboxConfig bad = podConfig("web").toBuilder()
        .setLinux(io.rktlet.cri.v1.LinuxPodSandboxConfig.newBuilder()
            .setCgroupParent("kubepods.slice"))
        .build();
    assertInvalid(() -> runPod(bad), "config.linux.cgroup_parent");

    restart(false);

    assertThat(cri.runtime().listPodSandbox(
        io.rktlet.cri.v1.ListPodSandboxRequest.getDefaultInstance()).getItemsList()).isEmpty();
    assertThat(runPod(podConfig("web"))).as("the name is free again").isNotEmpty();
  }

  @Test
  void emptyIdsAreRejected() {
    assertInvalid(() -> cri.runtime().stopContainer(
        io.rktlet.cri.v1.StopContainerRequest.getDefaultInstance()), "container_id");
    assertInvalid(() -> cri.runtime().removeContainer(
        io.rktlet.cri.v1.RemoveContainerRequest.getDefaultInstance()), "container_id");
    assertInvalid(() -> cri.runtime().containerStatus(
        io.rktlet.cri.v1.ContainerStatusRequest.getDefaultInstance()), "container_id");
    assertInvalid(() -> cri.runtime().stopPodSandbox(
        io.rktlet.cri.v1.StopPodSandboxRequest.getDefaultInstance()), "pod_sandbox_id");
    assertInvalid(() -> cri.runtime().removePodSandbox(
        io.rktlet.cri.v1.RemovePodSandboxRequest.getDefaultInstance()), "pod_sandbox_id");
    assertInvalid(() -> cri.runtime().execSync(
        io.rktlet.cri.v1.ExecSyncRequest.newBuilder().addCmd("id").build()), "container_id");
  }

  @Test
  void notImplementedCallNamesItself() {
    assertThatThrownBy(() -> cri.runtime().checkpointContainer(
        io.rktlet.cri.v1.CheckpointContainerRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
          assertThat(e.getStatus().getDescription()).contains("CheckpointContainer");
        });
  }

  private static void assertInvalid(Runnable call, String expectedInMessage) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains(expectedInMessage);
        });
  }
}
