package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.errors.CriException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SysctlPolicyTest {
  private static final String FIELD = "config.linux.sysctls";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "IPv4 forwarding          | net.ipv4.ip_forward            | NET | net/ipv4/ip_forward",
      "port range               | net.ipv4.ip_local_port_range   | NET"
          + " | net/ipv4/ip_local_port_range",
      "interface with dot       | net.ipv4.conf.eth0/100.rp_filter | NET"
          + " | net/ipv4/conf/eth0.100/rp_filter",
      "slash notation           | net/ipv4/conf/eth0.100/rp_filter | NET"
          + " | net/ipv4/conf/eth0.100/rp_filter",
      "somaxconn is per netns   | net.core.somaxconn             | NET | net/core/somaxconn",
      "semaphores               | kernel.sem                     | IPC | kernel/sem",
      "shared memory            | kernel.shmmax                  | IPC | kernel/shmmax",
      "shm_rmid_forced          | kernel.shm_rmid_forced         | IPC | kernel/shm_rmid_forced",
      "message queues           | kernel.msgmnb                  | IPC | kernel/msgmnb",
      "POSIX queues             | fs.mqueue.msg_max              | IPC | fs/mqueue/msg_max",
  })
  void acceptsNamespaced(String description, String name, Sysctl.Namespace namespace,
      String path) {
    SysctlPlan plan = SysctlPolicy.plan(Map.of(name, "1"), false, FIELD);

    assertThat(plan.sysctls()).hasSize(1);
    assertThat(plan.sysctls().get(0).namespace()).isEqualTo(namespace);
    assertThat(plan.sysctls().get(0).procSysPath()).isEqualTo(path);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "host-wide kernel entry   | kernel.pid_max           | false | not a namespaced sysctl",
      "VM entry                 | vm.overcommit_memory     | false | not a namespaced sysctl",
      "semaphore id is not sem  | kernel.semx              | false | not a namespaced sysctl",
      "mqueue without dot       | fs.mqueuex               | false | not a namespaced sysctl",
      "init_net only            | net.core.rmem_max        | false | only in the host's network",
      "global TCP memory        | net.ipv4.tcp_mem         | false | only in the host's network",
      "host network             | net.ipv4.ip_forward      | true  | uses the host's network",
      "upper case               | Net.ipv4.ip_forward      | false | not a sysctl name",
      "empty segment            | net..ipv4                | false | not a sysctl name",
      "equals sign              | net.ipv4.x=1             | false | not a sysctl name",
  })
  void rejects(String description, String name, boolean hostNetwork, String reason) {
    assertThatThrownBy(() -> SysctlPolicy.plan(Map.of(name, "1"), hostNetwork, FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + FIELD)
        .hasMessageContaining(reason);
  }

  @Test
  void ipcSysctlsAllowedWithHostNetwork() {
    SysctlPlan plan = SysctlPolicy.plan(Map.of("kernel.shmmni", "4096"), true, FIELD);

    assertThat(plan.sysctls()).extracting(Sysctl::name).containsExactly("kernel.shmmni");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty value           | ''",
      "newline               | '1\n2'",
      "NUL                   | '1\u00002'",
  })
  void rejectsBadValues(String description, String value) {
    assertThatThrownBy(() -> SysctlPolicy.plan(Map.of("net.ipv4.ip_forward", value), false,
        FIELD))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(FIELD + "[\"net.ipv4.ip_forward\"]");
  }

  @Test
  void keepsTabsAndSpacesInValues() {
    SysctlPlan plan = SysctlPolicy.plan(Map.of("kernel.sem", "250\t32000 32 128"), false, FIELD);

    assertThat(plan.sysctls().get(0).value()).isEqualTo("250\t32000 32 128");
  }

  @Test
  void sortsByName() {
    SysctlPlan plan = SysctlPolicy.plan(
        Map.of("net.ipv4.tcp_syncookies", "1", "kernel.sem", "1 2 3 4"), false, FIELD);

    assertThat(plan.sysctls()).extracting(Sysctl::name)
        .containsExactly("kernel.sem", "net.ipv4.tcp_syncookies");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "net.ipv4.ip_forward,               net.ipv4.ip_forward",
      "net/ipv4/ip_forward,               net.ipv4.ip_forward",
      "net/ipv4/conf/eth0.100/rp_filter,  net.ipv4.conf.eth0/100.rp_filter",
      "net.ipv4.conf.eth0/100.rp_filter,  net.ipv4.conf.eth0/100.rp_filter",
  })
  void normalizesLikeKubelet(String name, String expected) {
    assertThat(SysctlPolicy.normalize(name)).isEqualTo(expected);
  }
}
