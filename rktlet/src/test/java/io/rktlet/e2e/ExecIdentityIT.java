package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.Capability;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.ExecSyncRequest;
import io.rktlet.cri.v1.ExecSyncResponse;
import io.rktlet.cri.v1.Int64Value;
import io.rktlet.cri.v1.LinuxContainerConfig;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.SupplementalGroupsPolicy;
import io.rktlet.streaming.WebSocketTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exec'd command runs with the container's identity, not as rkt enter leaves it (root with
 * every capability, in rktlet's cgroup): the same user, groups, capabilities, no_new_privs and
 * cgroup as the container's own process.
 */
class ExecIdentityIT extends RktletTestBase {
  /** The bounding set of NET_BIND_SERVICE (capability 10) alone, as /proc shows it. */
  private static final String NET_BIND_SERVICE_ONLY = "0000000000000400";
  private static final String NO_CAPABILITIES = "0000000000000000";
  /** The container's own process, found by this unique argument. */
  private static final String MAIN_PROCESS = "sleep 16180.33";

  private String containerId;

  @BeforeEach
  void startRestrictedContainer() {
    Assumptions.assumeTrue(TestHost.isRoot(), "switching users needs root");
    pull("busybox");
    PodSandboxConfig pod = podConfig("identity");
    String podId = runPod(pod);
    LinuxContainerSecurityContext security = LinuxContainerSecurityContext.newBuilder()
        .setRunAsUser(Int64Value.newBuilder().setValue(1000))
        .setRunAsGroup(Int64Value.newBuilder().setValue(1000))
        .addSupplementalGroups(2000)
        .addSupplementalGroups(3000)
        // Strict ignores /etc/group, which is the host's for the test double's apps.
        .setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict)
        .setCapabilities(Capability.newBuilder().addDropCapabilities("ALL")
            .addAddCapabilities("NET_BIND_SERVICE"))
        .setNoNewPrivs(true)
        .build();
    ContainerConfig config = Requests.container("restricted", "busybox",
        List.of("/bin/sh", "-c", "exec " + MAIN_PROCESS)).toBuilder()
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(security))
        .build();
    containerId = startContainer(podId, pod, config);
  }

  @Test
  void execRunsAsContainerUserAndGroups() {
    ExecSyncResponse response = execSync("/bin/sh", "-c", "id -u; id -g; id -G");

    assertThat(response.getStderr().toStringUtf8()).isEmpty();
    assertThat(response.getStdout().toStringUtf8().split("\n"))
        .containsExactly("1000", "1000", "1000 2000 3000");
  }

  @Test
  void execHasContainerCapabilitiesAndNoNewPrivs() throws Exception {
    Map<String, String> exec = statusFields(execSync("cat", "/proc/self/status")
        .getStdout().toStringUtf8());
    Map<String, String> main = statusFields(Files.readString(procFile(mainPid(), "status")));

    assertThat(exec.get("CapBnd")).isEqualTo(NET_BIND_SERVICE_ONLY);
    assertThat(exec.get("CapEff")).isEqualTo(NO_CAPABILITIES);
    assertThat(exec.get("CapPrm")).isEqualTo(NO_CAPABILITIES);
    assertThat(exec.get("CapInh")).isEqualTo(NO_CAPABILITIES);
    assertThat(exec.get("CapAmb")).isEqualTo(NO_CAPABILITIES);
    assertThat(exec.get("NoNewPrivs")).isEqualTo("1");
    for (String field : List.of("CapBnd", "CapEff", "CapPrm", "CapInh", "CapAmb",
        "NoNewPrivs", "Uid", "Gid", "Groups")) {
      assertThat(exec.get(field)).as("%s of the exec'd command and of the container", field)
          .isEqualTo(main.get(field));
    }
  }

  @Test
  void execJoinsContainerCgroup() throws Exception {
    String exec = unifiedCgroup(execSync("cat", "/proc/self/cgroup").getStdout()
        .toStringUtf8());
    String main = unifiedCgroup(Files.readString(procFile(mainPid(), "cgroup")));

    assertThat(main).as("cgroup v2 path of the container's process").isNotEqualTo("0::/");
    assertThat(exec).isEqualTo(main);
  }

  @Test
  void ttyExecHasContainerIdentity() throws Exception {
    // With a TTY, the supervisor forks the command onto a terminal and applies the identity
    // in the child, a different path from ExecSync's.
    String url = cri.runtime().exec(ExecRequest.newBuilder().setContainerId(containerId)
        .addAllCmd(List.of("/bin/sh", "-c", "id -u; id -G; cat /proc/self/status;"
            + " cat /proc/self/cgroup"))
        .setTty(true).setStdout(true).build()).getUrl();
    WebSocketTestClient client = WebSocketTestClient.connect(url, null, "v4.channel.k8s.io");

    String output = client.readChannelsUntilClose().get(1).replace("\r\n", "\n");

    Map<String, String> status = statusFields(output);
    String[] lines = output.split("\n");
    assertThat(lines[0]).isEqualTo("1000");
    assertThat(lines[1]).isEqualTo("1000 2000 3000");
    assertThat(status.get("CapBnd")).isEqualTo(NET_BIND_SERVICE_ONLY);
    assertThat(status.get("CapEff")).isEqualTo(NO_CAPABILITIES);
    assertThat(status.get("NoNewPrivs")).isEqualTo("1");
    assertThat(unifiedCgroup(output))
        .isEqualTo(unifiedCgroup(Files.readString(procFile(mainPid(), "cgroup"))));
  }

  private ExecSyncResponse execSync(String... command) {
    return cri.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
        .addAllCmd(List.of(command)).setTimeout(10).build());
  }

  private static long mainPid() {
    List<Long> pids = TestProcesses.pids(MAIN_PROCESS);
    assertThat(pids).as("processes running %s", MAIN_PROCESS).hasSize(1);
    return pids.get(0);
  }

  private static Path procFile(long pid, String name) {
    return Path.of("/proc", Long.toString(pid), name);
  }

  /** Parses /proc/PID/status into a map from field name to value, whitespace runs collapsed. */
  private static Map<String, String> statusFields(String status) {
    return status.lines()
        .filter(line -> line.contains(":"))
        .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(':')),
            line -> line.substring(line.indexOf(':') + 1).strip().replaceAll("\\s+", " ")));
  }

  /** Returns the {@code 0::} line of a /proc/PID/cgroup file: the cgroup v2 membership. */
  private static String unifiedCgroup(String cgroupFile) throws IOException {
    return cgroupFile.lines().filter(line -> line.startsWith("0::")).findFirst()
        .orElseThrow(() -> new IOException("no 0:: line in " + cgroupFile));
  }
}
