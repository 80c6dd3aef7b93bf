package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user, groups, capabilities and no_new_privs that run mode gives the child. */
class IdentityTest extends SupervisorTestSupport {
  static final String REPORT = "id -u; id -g; id -G; "
      + "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status";

  @BeforeEach
  void requireRoot() {
    assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
        "identity tests switch users and need root");
  }

  /** Runs REPORT (or another script) and returns its output lines as name-value pairs. */
  Map<String, String> report(String script) {
    container.shell(script);
    int exitCode = runSupervisor();
    assertThat(exitCode).as("exit code; status %s", container.status()).isZero();
    List<String> lines = LogRecord.lines(container.logRecords(), "stdout");
    Map<String, String> values = lines.stream().skip(3).map(line -> line.split(":\\s*", 2))
        .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    values.put("uid", lines.get(0));
    values.put("gid", lines.get(1));
    values.put("groups", Arrays.stream(lines.get(2).split(" ")).sorted().collect(Collectors.joining(" ")));
    return values;
  }

  @Test
  void nonRootUserGetsAmbientCapabilitiesOnly() {
    container.spec("user", "1234").spec("group", "5678").spec("groups", "100,200")
        .spec("caps", "CAP_CHOWN,CAP_NET_BIND_SERVICE").spec("ambient", "CAP_NET_BIND_SERVICE")
        .spec("no_new_privs", "1");

    Map<String, String> report = report(REPORT);

    assertThat(report).containsEntry("uid", "1234").containsEntry("gid", "5678")
        .containsEntry("groups", "100 200 5678")
        .containsEntry("CapBnd", "0000000000000401")
        .containsEntry("CapPrm", "0000000000000400")
        .containsEntry("CapEff", "0000000000000400")
        .containsEntry("CapAmb", "0000000000000400")
        .containsEntry("NoNewPrivs", "1");
  }

  @Test
  void nonRootUserWithoutAmbientHasNoCapabilities() {
    container.spec("user", "1234").spec("caps", "CAP_CHOWN,CAP_KILL");

    Map<String, String> report = report(REPORT);

    assertThat(report).containsEntry("uid", "1234").containsEntry("gid", "0")
        .containsEntry("groups", "0")
        .containsEntry("CapBnd", "0000000000000021")
        .containsEntry("CapPrm", "0000000000000000")
        .containsEntry("CapEff", "0000000000000000")
        .containsEntry("CapInh", "0000000000000000")
        .containsEntry("NoNewPrivs", "0");
  }

  @Test
  void rootGetsExactlyTheListedCapabilities() {
    container.spec("caps", "CAP_CHOWN,CAP_KILL");

    Map<String, String> report = report(REPORT);

    assertThat(report).containsEntry("uid", "0")
        .containsEntry("CapBnd", "0000000000000021")
        .containsEntry("CapPrm", "0000000000000021")
        .containsEntry("CapEff", "0000000000000021")
        .containsEntry("CapInh", "0000000000000021")
        .containsEntry("CapAmb", "0000000000000000");
  }

  @Test
  void numericUserTakesPrimaryGroupFromPasswd() {
    container.spec("user", "65534").spec("groups_policy", "strict");

    Map<String, String> report = report(REPORT);

    assertThat(report).containsEntry("uid", "65534").containsEntry("gid", "65534")
        .containsEntry("groups", "65534");
  }

  @Test
  void userNameResolvesInContainerFiles() throws IOException {
    container.spec("user", "alice").spec("groups", "4000");

    Map<String, String> report = reportInMountNamespace();

    assertThat(report).containsEntry("uid", "2001").containsEntry("gid", "2002")
        .containsEntry("groups", "2002 3001 4000");
  }

  @Test
  void strictPolicySkipsGroupFile() throws IOException {
    container.spec("user", "alice").spec("groups", "4000").spec("groups_policy", "strict");

    Map<String, String> report = reportInMountNamespace();

    assertThat(report).containsEntry("groups", "2002 4000");
  }

  @Test
  void groupNameResolvesInGroupFile() throws IOException {
    container.spec("user", "alice").spec("group", "other");

    Map<String, String> report = reportInMountNamespace();

    assertThat(report).containsEntry("gid", "3002").containsEntry("groups", "3001 3002");
  }

  @Test
  void missingCapabilityFailsStart() {
    container.spec("caps", "CAP_CHOWN,CAP_NET_ADMIN").shell("true");
    container.writeSpec();
    Process supervisor = processes.start(
        List.of("setpriv", "--bounding-set=-net_admin", "--", container.supervisor().toString(), "run"),
        SUPERVISOR_ENVIRONMENT, null, tempDir.resolve("supervisor.stdout"),
        tempDir.resolve("supervisor.stderr"));

    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status()).containsEntry("state", "failed").containsEntry("error",
        "capability CAP_NET_ADMIN is requested but the supervisor does not have it");
  }

  @Test
  void unknownCapabilityFailsStart() {
    container.spec("caps", "CAP_CHOWN,CAP_FLY").shell("true");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status().get("error"))
        .isEqualTo("unknown capability \"CAP_FLY\" (expected names such as CAP_CHOWN)");
  }

  /**
   * Runs REPORT with the supervisor in a private mount namespace whose /etc/passwd and
   * /etc/group are test files, as a container image would have them.
   */
  Map<String, String> reportInMountNamespace() throws IOException {
    Path passwd = Files.writeString(tempDir.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/sh\nalice:x:2001:2002::/home/alice:/bin/sh\n");
    Path group = Files.writeString(tempDir.resolve("group"),
        "root:x:0:\nalice:x:2002:\nextra:x:3001:bob,alice\nother:x:3002:bob\n");
    container.shell(REPORT);
    container.writeSpec();
    Process supervisor = processes.start(List.of("unshare", "--mount", "--propagation", "private",
            "sh", "-c", "mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/group && exec \"$3\" run",
            "sh", passwd.toString(), group.toString(), container.supervisor().toString()),
        SUPERVISOR_ENVIRONMENT, null, tempDir.resolve("supervisor.stdout"), tempDir.resolve("supervisor.stderr"));
    assertThat(Processes.waitFor(supervisor)).as("status %s, stderr %s", container.status(),
        supervisorStderr()).isZero();
    List<String> lines = LogRecord.lines(container.logRecords(), "stdout");
    return Map.of("uid", lines.get(0), "gid", lines.get(1),
        "groups", Arrays.stream(lines.get(2).split(" ")).sorted().collect(Collectors.joining(" ")));
  }
}
