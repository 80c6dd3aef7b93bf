package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.SecurityProfile;
import io.rktlet.errors.CriException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeccompPlannerTest {
  private static final String PREFIX = "config.linux.security_context";
  private static final HostPlatform AMD64 = new HostPlatform("amd64", "6.1.0-18-amd64");

  private final SeccompPlanner planner = new SeccompPlanner(AMD64);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "deny list, errno 1 and missing errno | deny-mount.json | REMOVE | EPERM"
          + " | mount reboot umount2",
      "deny list with EACCES               | deny-eacces.json | REMOVE | EACCES"
          + " | chmod fchmod fchmodat",
      "LOG default is a deny list          | log-default.json | REMOVE | EPERM | ptrace",
      "allow list, clone3 follows clone    | allow-list.json | RETAIN | EPERM"
          + " | clone clone3 exit_group futex getpid mmap read write",
      "explicit clone3 allow is kept       | allow-list-without-clone.json | RETAIN | EPERM"
          + " | clone3 exit_group read write",
      "ENOSYS default, old name field      | allow-list-enosys.json | RETAIN | ENOSYS"
          + " | read write",
      "denied clone takes clone3 along     | deny-clone.json | REMOVE | EPERM"
          + " | clone clone3 unshare",
      "clone3 ENOSYS alone is not denied   | deny-clone3-only.json | REMOVE | EPERM | keyctl",
      "Docker conditions on amd64 and 6.1  | docker-conditions.json | RETAIN | EPERM"
          + " | arch_prctl chroot clone clone3 ptrace read write",
  })
  void translatesLocalhostProfiles(String description, String file, SeccompFilter.Mode mode,
      String errno, String syscalls) throws URISyntaxException {
    SeccompFilter filter = planner.plan(localhost(file), CapabilityPlanner.DEFAULT, PREFIX);

    assertThat(filter.mode()).isEqualTo(mode);
    assertThat(filter.errno()).isEqualTo(errno);
    assertThat(filter.syscalls()).containsExactlyElementsOf(names(syscalls));
  }

  @Test
  void dockerConditionsFollowCapabilities() throws URISyntaxException {
    Set<Capability> caps = Set.of(Capability.SYS_ADMIN);

    SeccompFilter filter = planner.plan(localhost("docker-conditions.json"), caps, PREFIX);

    assertThat(filter.syscalls()).contains("mount", "personality");
    assertThat(filter.syscalls()).doesNotContain("chroot");
  }

  @Test
  void dockerConditionsFollowArchitecture() throws URISyntaxException {
    SeccompPlanner s390 = new SeccompPlanner(new HostPlatform("s390x", "6.1.0"));

    SeccompFilter filter = s390.plan(localhost("docker-conditions.json"),
        CapabilityPlanner.DEFAULT, PREFIX);

    assertThat(filter.syscalls()).contains("s390_runtime_instr", "vhangup");
    assertThat(filter.syscalls()).doesNotContain("arch_prctl");
  }

  @Test
  void dockerConditionsFollowKernel() throws URISyntaxException {
    SeccompPlanner old = new SeccompPlanner(new HostPlatform("amd64", "4.4.0-210-generic"));

    SeccompFilter filter = old.plan(localhost("docker-conditions.json"),
        CapabilityPlanner.DEFAULT, PREFIX);

    assertThat(filter.syscalls()).doesNotContain("ptrace");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "argument conditions  | reject-args.json             | argument conditions (args)",
      "KILL default         | reject-kill-default.json     | SCMP_ACT_KILL_PROCESS cannot be"
          + " expressed",
      "TRAP rule            | reject-trap-rule.json        | action SCMP_ACT_TRAP",
      "mixed errnos         | reject-mixed-errno.json      | different errnos [EACCES, EPERM]",
      "other errno in allow list | reject-retain-other-errno.json | mount fails with EACCES",
      "conflicting rules    | reject-conflict.json         | conflicting rules",
      "notify listener      | reject-listener.json         | listenerPath",
      "allows nothing       | reject-allows-nothing.json   | allows no system call",
      "unknown action       | reject-unknown-action.json   | not a seccomp action",
      "weakening flag       | reject-spec-allow-flag.json  | SECCOMP_FILTER_FLAG_SPEC_ALLOW",
      "truncated JSON       | reject-not-json.json         | not a seccomp profile",
  })
  void rejectsWhatRktCannotExpress(String description, String file, String reason)
      throws URISyntaxException {
    LinuxContainerSecurityContext context = localhost(file);

    assertThatThrownBy(() -> planner.plan(context, CapabilityPlanner.DEFAULT, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + PREFIX + ".seccomp.localhost_ref")
        .hasMessageContaining(file)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Unconfined,     UNCONFINED",
      "RuntimeDefault, REMOVE",
  })
  void profileTypes(SecurityProfile.ProfileType type, SeccompFilter.Mode mode) {
    LinuxContainerSecurityContext context = LinuxContainerSecurityContext.newBuilder()
        .setSeccomp(SecurityProfile.newBuilder().setProfileType(type)).build();

    assertThat(planner.plan(context, CapabilityPlanner.DEFAULT, PREFIX).mode()).isEqualTo(mode);
  }

  @Test
  void runtimeDefaultIsTheDockerModel() {
    LinuxContainerSecurityContext context = LinuxContainerSecurityContext.newBuilder()
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.RuntimeDefault)).build();

    assertThat(planner.plan(context, CapabilityPlanner.DEFAULT, PREFIX))
        .isEqualTo(RuntimeDefaultSeccomp.forCapabilities(CapabilityPlanner.DEFAULT));
  }

  @ParameterizedTest(name = "deprecated path \"{0}\"")
  @CsvSource({
      "'',              UNCONFINED",
      "unconfined,      UNCONFINED",
      "runtime/default, REMOVE",
      "docker/default,  REMOVE",
  })
  void deprecatedPathForms(String path, SeccompFilter.Mode mode) {
    assertThat(planner.plan(deprecated(path), CapabilityPlanner.DEFAULT, PREFIX).mode())
        .isEqualTo(mode);
  }

  @Test
  void deprecatedLocalhostPathReadsFile() throws URISyntaxException {
    LinuxContainerSecurityContext context = deprecated("localhost/" + resource("deny-mount.json"));

    SeccompFilter filter = planner.plan(context, CapabilityPlanner.DEFAULT, PREFIX);

    assertThat(filter.syscalls()).containsExactly("mount", "reboot", "umount2");
  }

  @Test
  void seccompFieldWinsOverDeprecatedPath() {
    LinuxContainerSecurityContext context = deprecated("runtime/default").toBuilder()
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.Unconfined)).build();

    assertThat(planner.plan(context, CapabilityPlanner.DEFAULT, PREFIX))
        .isEqualTo(SeccompFilter.unconfined());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown deprecated form  | seccomp_profile_path | unconfined/x    | expected unconfined",
      "relative localhost path  | seccomp_profile_path | localhost/p.json | not an absolute path",
      "missing localhost file   | seccomp_profile_path | localhost//nonexistent/p.json"
          + " | does not exist",
  })
  void rejectsBadDeprecatedPaths(String description, String field, String path, String reason) {
    assertThatThrownBy(() -> planner.plan(deprecated(path), CapabilityPlanner.DEFAULT, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + "." + field)
        .hasMessageContaining(reason);
  }

  @Test
  void rejectsLocalhostRefWithOtherType() {
    LinuxContainerSecurityContext context = LinuxContainerSecurityContext.newBuilder()
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.RuntimeDefault)
            .setLocalhostRef("/x.json")).build();

    assertThatThrownBy(() -> planner.plan(context, CapabilityPlanner.DEFAULT, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".seccomp.localhost_ref")
        .hasMessageContaining("must be empty unless profile_type is Localhost");
  }

  private static LinuxContainerSecurityContext localhost(String file)
      throws URISyntaxException {
    return LinuxContainerSecurityContext.newBuilder()
        .setSeccomp(SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.Localhost)
            .setLocalhostRef(resource(file)))
        .build();
  }

  @SuppressWarnings("deprecation")
  private static LinuxContainerSecurityContext deprecated(String path) {
    return LinuxContainerSecurityContext.newBuilder().setSeccompProfilePath(path).build();
  }

  static String resource(String file) throws URISyntaxException {
    return Path.of(SeccompPlannerTest.class.getResource("/seccomp/" + file).toURI()).toString();
  }

  private static List<String> names(String text) {
    return List.copyOf(new TreeSet<>(Arrays.asList(text.strip().split(" +"))));
  }
}
