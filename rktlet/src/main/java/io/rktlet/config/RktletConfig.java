package io.rktlet.config;

import io.rktlet.rkt.SandboxSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole configuration of one rktlet process, after flags, the TOML file and defaults were
 * merged.
 *
 * @param socket path of the gRPC UNIX socket
 * @param stateDir directory of rktlet's own database and per-pod files
 * @param streaming the exec, attach and port-forward server
 * @param logLevel root log level (trace, debug, info, warn, error)
 * @param reconcileInterval how often rktlet compares its records with {@code rkt list}
 * @param eventBuffer events a GetContainerEvents subscriber may fall behind by
 * @param metricsAddress where the Prometheus metrics server listens, or null for none
 */
public record RktletConfig(
    Path socket,
    Path stateDir,
    Streaming streaming,
    String logLevel,
    Duration reconcileInterval,
    int eventBuffer,
    Rkt rkt,
    Host host,
    Map<String, RegistryHost> registries,
    HostPort metricsAddress) {

  public RktletConfig {
    registries = Map.copyOf(registries);
  }


  /**
   * The streaming server.
   *
   * @param address HOST:PORT to bind to; port 0 picks a free one
   * @param tlsCertificate PEM certificate for HTTPS, or null for plain HTTP
   * @param tlsKey PKCS#8 PEM key of the certificate, or null
   * @param idleTimeout how long a stream may carry no data before it is closed
   */
  public record Streaming(String address, Path tlsCertificate, Path tlsKey,
      Duration idleTimeout) {}

  /**
   * How rkt is run.
   *
   * @param network CNI network name for pods, or null for rkt's built-in default network
   * @param stage1ByHandler stage1 image per CRI runtime handler; the empty handler is the
   *     default one, and a null image means rkt's configured default stage1
   * @param commandTimeout deadline of one rkt command when the gRPC call sets none
   * @param podReadyTimeout how long RunPodSandbox waits for a new pod to become ready
   */
  public record Rkt(
      Path binary,
      Path dataDir,
      Path localConfig,
      String network,
      Map<String, SandboxSpec.Stage1> stage1ByHandler,
      Duration commandTimeout,
      Duration podReadyTimeout) {

    public Rkt {
      // Map.copyOf rejects null values, and a null stage1 is meaningful here.
      stage1ByHandler = java.util.Collections.unmodifiableMap(
          new java.util.LinkedHashMap<>(stage1ByHandler));
    }
  }

  /**
   * How rktlet fits into the host.
   *
   * @param cgroupRoot mount point of the cgroup hierarchies, normally {@code /sys/fs/cgroup}
   * @param manageMounts true to make rkt's data directory a shared mount at start-up and to
   *     bind-mount volumes; false only for development without mount privileges
   */
  public record Host(
      CgroupDriver cgroupDriver, LauncherKind launcher, Path cgroupRoot, boolean manageMounts) {}
}
