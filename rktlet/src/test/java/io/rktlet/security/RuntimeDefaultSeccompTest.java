package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeDefaultSeccompTest {
  private static final SeccompFilter DEFAULT_CAPS =
      RuntimeDefaultSeccomp.forCapabilities(CapabilityPlanner.DEFAULT);

  @Test
  void isRemoveListWithEperm() {
    assertThat(DEFAULT_CAPS.mode()).isEqualTo(SeccompFilter.Mode.REMOVE);
    assertThat(DEFAULT_CAPS.errno()).isEqualTo("EPERM");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "mount needs SYS_ADMIN,         mount",
      "unshare needs SYS_ADMIN,       unshare",
      "setns needs SYS_ADMIN,         setns",
      "keyring always denied,         keyctl",
      "kexec always denied,           kexec_load",
      "userfaultfd always denied,     userfaultfd",
      "module loading needs SYS_MODULE, init_module",
      "clock setting needs SYS_TIME,  settimeofday",
      "bpf needs SYS_ADMIN or BPF,    bpf",
      "handles need DAC_READ_SEARCH,  open_by_handle_at",
  })
  void deniesForDefaultCapabilities(String description, String syscall) {
    assertThat(DEFAULT_CAPS.syscalls()).contains(syscall);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "threads need clone,            clone",
      "glibc tries clone3 first,      clone3",
      "ptrace allowed since Linux 4.8, ptrace",
      "chroot allowed with SYS_CHROOT, chroot",
      "socket allowed without args,   socket",
      "personality allowed,           personality",
      "io_uring allowed as by Docker, io_uring_setup",
  })
  void allowsForDefaultCapabilities(String description, String syscall) {
    assertThat(DEFAULT_CAPS.syscalls()).doesNotContain(syscall);
  }

  @ParameterizedTest(name = "{0} allows {1}")
  @CsvSource({
      "SYS_ADMIN,  mount",
      "SYS_ADMIN,  bpf",
      "BPF,        bpf",
      "PERFMON,    perf_event_open",
      "SYS_TIME,   clock_settime",
      "SYS_PTRACE, kcmp",
      "SYS_NICE,   mbind",
      "SYSLOG,     syslog",
      "SYS_BOOT,   reboot",
  })
  void capabilityUnlocksCall(Capability capability, String syscall) {
    Set<Capability> capabilities = EnumSet.copyOf(CapabilityPlanner.DEFAULT);
    capabilities.add(capability);

    assertThat(RuntimeDefaultSeccomp.forCapabilities(capabilities).syscalls())
        .doesNotContain(syscall);
  }

  @Test
  void droppingSysChrootDeniesChroot() {
    Set<Capability> capabilities = EnumSet.copyOf(CapabilityPlanner.DEFAULT);
    capabilities.remove(Capability.SYS_CHROOT);

    assertThat(RuntimeDefaultSeccomp.forCapabilities(capabilities).syscalls())
        .contains("chroot");
  }

  @Test
  void neverDeniesWhatSupervisorNeeds() {
    assertThat(RuntimeDefaultSeccomp.allNames()).doesNotContainAnyElementsOf(
        SupervisorSyscalls.REQUIRED);
  }

  @Test
  void supervisorWideningKeepsTheList() {
    assertThat(DEFAULT_CAPS.admitting(SupervisorSyscalls.REQUIRED)).isEqualTo(DEFAULT_CAPS);
  }
}
