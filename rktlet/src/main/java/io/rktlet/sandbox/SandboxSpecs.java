package io.rktlet.sandbox;

import io.rktlet.cri.v1.DNSConfig;
import io.rktlet.cri.v1.PodSandboxConfig;
import io.rktlet.cri.v1.PortMapping;
import io.rktlet.cri.v1.Protocol;
import io.rktlet.rkt.SandboxSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps a CRI PodSandboxConfig to the flags of {@code rkt app sandbox}. */
public final class SandboxSpecs {
  /** User annotation that ties a rkt pod to rktlet's sandbox ID. */
  public static final String SANDBOX_ID_ANNOTATION = "rktlet.io/sandbox-id";

  /** rkt's own value for --dns that copies the host's /etc/resolv.conf into the pod. */
  private static final String HOST_DNS = "host";

  private SandboxSpecs() {}

  /**
   * Builds the spec.
   *
   * @param network the configured CNI network, or null for rkt's default
   * @param stage1 stage1 selection of the request's runtime handler, or null
   */
  static SandboxSpec toSpec(String sandboxId, PodSandboxConfig config, boolean hostNetwork,
      Path uuidFile, String network, SandboxSpec.Stage1 stage1) {
    List<String> networks = hostNetwork ? List.of("host")
        : network == null ? List.of() : List.of(network);
    DNSConfig dns = config.getDnsConfig();
    // Without --dns rkt writes no /etc/resolv.conf at all, so fall back to the host's file,
    // which is what the kubelet's "Default" DNS policy requests.
    List<String> servers = dns.getServersCount() > 0 ? dns.getServersList() : List.of(HOST_DNS);
    return new SandboxSpec(
        uuidFile,
        networks,
        config.getHostname().isEmpty() ? null : config.getHostname(),
        servers,
        dns.getSearchesList(),
        dns.getOptionsList(),
        List.of(),
        ports(config.getPortMappingsList()),
        Map.of(),
        Map.of(SANDBOX_ID_ANNOTATION, sandboxId),
        Map.of(),
        stage1);
  }

  /**
   * Returns rkt {@code --port} values ({@code NAME:PROTO:PODPORT:HOSTIP:HOSTPORT}). Mappings
   * without a host port publish nothing, as in other CRI runtimes.
   */
  static List<String> ports(List<PortMapping> mappings) {
    List<String> ports = new ArrayList<>();
    for (PortMapping mapping : mappings) {
      if (mapping.getHostPort() == 0) {
        continue;
      }
      String protocol = mapping.getProtocol() == Protocol.UDP ? "udp" : "tcp";
      String hostIp = mapping.getHostIp().isEmpty() ? "0.0.0.0" : mapping.getHostIp();
      String name = protocol + "-" + mapping.getContainerPort() + "-" + mapping.getHostPort();
      ports.add(name + ":" + protocol + ":" + mapping.getContainerPort() + ":" + hostIp + ":"
          + mapping.getHostPort());
    }
    return ports;
  }
}
