package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rktlet.cri.v1.IDMapping;
import io.rktlet.cri.v1.NamespaceMode;
import io.rktlet.cri.v1.NamespaceOption;
import io.rktlet.cri.v1.UserNamespace;
import io.rktlet.errors.CriException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamespacePolicyTest {
  private static final String PREFIX = "config.linux.security_context.namespace_options";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "kubelet default,             POD,  CONTAINER, POD, false",
      "shared process namespace,    POD,  POD,       POD, false",
      "host network,                NODE, CONTAINER, POD, true",
  })
  void accepts(String description, NamespaceMode network, NamespaceMode pid,
      NamespaceMode ipc, boolean hostNetwork) {
    NamespaceOption options = NamespaceOption.newBuilder().setNetwork(network).setPid(pid)
        .setIpc(ipc).build();

    assertThat(NamespacePolicy.check(options, PREFIX)).isEqualTo(hostNetwork);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "host PID                | POD       | NODE      | POD  | .pid     | own PID namespace",
      "target PID              | POD       | TARGET    | POD  | .pid     | another container's",
      "host IPC                | POD       | POD       | NODE | .ipc     | pod's own IPC namespace",
      "container IPC           | POD       | POD       | CONTAINER | .ipc | pod's own IPC",
      "container network      | CONTAINER | POD       | POD  | .network | either its own",
  })
  void rejects(String description, NamespaceMode network, NamespaceMode pid, NamespaceMode ipc,
      String field, String reason) {
    NamespaceOption options = NamespaceOption.newBuilder().setNetwork(network).setPid(pid)
        .setIpc(ipc).setTargetId("abc").build();

    assertThatThrownBy(() -> NamespacePolicy.check(options, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("invalid " + PREFIX + field)
        .hasMessageContaining(reason);
  }

  @Test
  void rejectsUserNamespaceMappings() {
    NamespaceOption options = NamespaceOption.newBuilder().setUsernsOptions(
        UserNamespace.newBuilder().setMode(NamespaceMode.POD).addUids(
            IDMapping.newBuilder().setHostId(100000).setLength(65536))).build();

    assertThatThrownBy(() -> NamespacePolicy.check(options, PREFIX))
        .isInstanceOf(CriException.class)
        .hasMessageContaining(PREFIX + ".userns_options.mode")
        .hasMessageContaining("does not support user namespaces");
  }

  @Test
  void acceptsHostUserNamespace() {
    NamespaceOption options = NamespaceOption.newBuilder().setUsernsOptions(
        UserNamespace.newBuilder().setMode(NamespaceMode.NODE)).build();

    assertThat(NamespacePolicy.check(options, PREFIX)).isFalse();
  }
}
