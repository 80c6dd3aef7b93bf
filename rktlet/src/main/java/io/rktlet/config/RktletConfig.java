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
 * @param streamingAddress HOST:PORT the streaming server binds to; port 0 picks a free one
 * @param logLevel root log level (trace, debug, info, warn, error)
 * @param reconcileInterval how often rktlet compares its records with {@code rkt list}
 * @param metricsAddress where the Prometheus metrics server listens, or null for none
 */
public record RktletConfig(
    Path socket,
    Path stateDir,
    String streamingAddress,
    String logLevel,
    Duration reconcileInterval,
    Rkt rkt,
    Host host,
    Map<String, RegistryHost> registries,
    HostPort metricsAddress) {

  public RktletConfig {
    registries = Map.copyOf(registries);
  }

  /** A configuration without a metrics server. */
  public RktletConfig(Path socket, Path stateDir, String streamingAddress, String logLevel,
      Duration reconcileInterval, Rkt rkt, Host host, Map<String, RegistryHost> registries) {
    this(socket, stateDir, streamingAddress, logLevel, reconcileInterval, rkt, host, registries,
        null);
  }

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
