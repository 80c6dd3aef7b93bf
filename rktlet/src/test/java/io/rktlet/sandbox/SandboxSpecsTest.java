package io.rktlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.DNSConfig;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PortMapping;
import io.rktlet.cri.v1.Protocol;
import io.rktlet.rkt.SandboxSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxSpecsTest {
  private static final Path UUID_FILE = Path.of("/state/pod-uuid");

  @Test
  void dnsFallsBackToHostFile() {
    SandboxSpec spec = SandboxSpecs.toSpec("id", PodSandboxConfig.getDefaultInstance(), false,
        UUID_FILE, null, null);

    assertThat(spec.dnsServers()).containsExactly("host");
    assertThat(spec.networks()).isEmpty();
    assertThat(spec.hostname()).isNull();
    assertThat(spec.userAnnotations()).containsEntry("rktlet.io/sandbox-id", "id");
  }

  @Test
  void dnsConfigIsPassedThrough() {
    PodSandboxConfig config = PodSandboxConfig.newBuilder()
        .setHostname("web-0")
        .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10")
            .addSearches("default.svc.cluster.local").addOptions("ndots:5"))
        .build();

    SandboxSpec spec = SandboxSpecs.toSpec("id", config, false, UUID_FILE, "podnet", null);

    assertThat(spec.dnsServers()).containsExactly("10.96.0.10");
    assertThat(spec.dnsSearches()).containsExactly("default.svc.cluster.local");
    assertThat(spec.dnsOptions()).containsExactly("ndots:5");
    assertThat(spec.networks()).containsExactly("podnet");
    assertThat(spec.hostname()).isEqualTo("web-0");
  }

  @Test
  void hostNetworkWinsOverConfiguredNetwork() {
    SandboxSpec spec = SandboxSpecs.toSpec("id", PodSandboxConfig.getDefaultInstance(), true,
        UUID_FILE, "podnet", null);

    assertThat(spec.networks()).containsExactly("host");
  }

  @Test
  void portsWithHostPortArePublished() {
    PodSandboxConfig config = PodSandboxConfig.newBuilder()
        .addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(18080)
            .setHostIp("127.0.0.1"))
        .addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.UDP)
            .setContainerPort(53).setHostPort(5353))
        .addPortMappings(PortMapping.newBuilder().setContainerPort(8080))
        .build();

    SandboxSpec spec = SandboxSpecs.toSpec("id", config, false, UUID_FILE, null, null);

    assertThat(spec.ports()).containsExactly("tcp-80-18080:tcp:80:127.0.0.1:18080",
        "udp-53-5353:udp:53:0.0.0.0:5353");
  }
}
