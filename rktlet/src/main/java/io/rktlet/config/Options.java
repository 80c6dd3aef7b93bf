package io.rktlet.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Command-line options of the server. Every option is optional: a flag wins over the same
 * setting in the TOML file, which wins over the default named in the help text.
 */
public final class Options {
  @Option(names = "--config", paramLabel = "FILE",
      description = "TOML configuration file. Default: /etc/rktlet/rktlet.toml when it exists.")
  Path configFile;

  @Option(names = "--socket", paramLabel = "PATH",
      description = "UNIX socket for the CRI gRPC services, created with mode 0660. "
          + "Default: " + Defaults.SOCKET + ".")
  Path socket;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Directory of rktlet's database and per-pod files. Default: "
          + Defaults.STATE_DIR + ".")
  Path stateDir;

  @Option(names = "--rkt", paramLabel = "PATH",
      description = "rkt executable. Default: " + Defaults.RKT_BINARY + ".")
  Path rktBinary;

  @Option(names = "--rkt-dir", paramLabel = "DIR",
      description = "rkt data directory (rkt --dir). Default: " + Defaults.RKT_DATA_DIR + ".")
  Path rktDataDir;

  @Option(names = "--rkt-local-config", paramLabel = "DIR",
      description = "rkt local configuration directory (rkt --local-config), where CNI "
          + "networks live in net.d. Default: rkt's own, /etc/rkt.")
  Path rktLocalConfig;

  @Option(names = "--net", paramLabel = "NAME",
      description = "CNI network that pods join (rkt app sandbox --net). Default: rkt's "
          + "built-in network \"default\".")
  String network;

  @Option(names = "--stage1", paramLabel = "IMAGE",
      description = "stage1 image of the default runtime handler: name:NAME, path:FILE, "
          + "url:URL, hash:ID or dir:FILE. Default: rkt's configured stage1.")
  String stage1;

  @Option(names = "--runtime-handler", paramLabel = "HANDLER=IMAGE",
      description = "stage1 image of a named CRI runtime handler, in the --stage1 notation. "
          + "Repeatable. Default: none besides the default handler.")
  List<String> runtimeHandlers = new ArrayList<>();

  @Option(names = "--registry-mirror", paramLabel = "HOST=URL",
      description = "Mirror endpoint tried before registry HOST, for example "
          + "docker.io=http://127.0.0.1:5000. Repeatable, tried in order. Default: none.")
  List<String> registryMirrors = new ArrayList<>();

  @Option(names = "--insecure-registry", paramLabel = "HOST",
      description = "Registry HOST (for example 127.0.0.1:5000) that is reached over plain "
          + "HTTP. Repeatable. Default: none.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--streaming-address", paramLabel = "HOST:PORT",
      description = "Address of the exec, attach and port-forward server; port 0 picks a "
          + "free port. Default: " + Defaults.STREAMING_ADDRESS + ".")
  String streamingAddress;

  @Option(names = "--streaming-tls-cert", paramLabel = "FILE",
      description = "PEM certificate of the streaming server; with --streaming-tls-key it "
          + "serves HTTPS. Default: none (plain HTTP, fit for the loopback default).")
  Path streamingTlsCert;

  @Option(names = "--streaming-tls-key", paramLabel = "FILE",
      description = "PKCS#8 PEM private key of --streaming-tls-cert. Default: none.")
  Path streamingTlsKey;

  @Option(names = "--streaming-idle-timeout", paramLabel = "SECONDS",
      description = "Closes exec, attach and port-forward streams that carried no data for "
          + "this long, in seconds. Default: " + Defaults.STREAMING_IDLE_TIMEOUT_SECONDS
          + " (4 h, the kubelet's own default).")
  Long streamingIdleTimeoutSeconds;

  @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
      description = "Address of the HTTP server that serves Prometheus metrics at /metrics, "
          + "for example 127.0.0.1:9100. Default: none (no metrics server).")
  String metricsAddress;

  @Option(names = "--cgroup-driver", paramLabel = "DRIVER",
      description = "cgroupfs or systemd; must match the kubelet's --cgroup-driver. Default: "
          + "systemd when systemd is PID 1, else cgroupfs.")
  String cgroupDriver;

  @Option(names = "--sandbox-launcher", paramLabel = "KIND",
      description = "How pods are parented: systemd (a transient unit made with systemd-run), "
          + "detached (a child of rktlet in its own session) or auto (systemd when systemd "
          + "is PID 1). Default: auto.")
  String sandboxLauncher;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "trace, debug, info, warn or error. Default: info.")
  String logLevel;

  @Option(names = "--rkt-timeout", paramLabel = "SECONDS",
      description = "Deadline of one rkt command when the CRI call sets none, in seconds. "
          + "Default: " + Defaults.RKT_COMMAND_TIMEOUT_SECONDS + ".")
  Long rktCommandTimeoutSeconds;

  @Option(names = "--pod-ready-timeout", paramLabel = "SECONDS",
      description = "How long RunPodSandbox waits for a new pod to become ready, in seconds. "
          + "Default: " + Defaults.POD_READY_TIMEOUT_SECONDS + ".")
  Long podReadyTimeoutSeconds;

  @Option(names = "--reconcile-interval", paramLabel = "SECONDS",
      description = "How often rktlet compares its records with rkt list, in seconds. "
          + "Default: " + Defaults.RECONCILE_INTERVAL_SECONDS + ".")
  Long reconcileIntervalSeconds;

  @Option(names = "--event-buffer", paramLabel = "EVENTS", hidden = true,
      description = "Events a GetContainerEvents subscriber may fall behind by before it is "
          + "disconnected. Default: 1024.")
  Integer eventBuffer;

  @Option(names = "--cgroup-root", paramLabel = "DIR", hidden = true,
      description = "Mount point of the cgroup hierarchies. Default: /sys/fs/cgroup.")
  Path cgroupRoot;

  @Option(names = "--manage-mounts", paramLabel = "BOOL", arity = "1",
      description = "Make rkt's data directory a shared mount at start-up and bind-mount "
          + "volumes (needs CAP_SYS_ADMIN); false only for development. Default: true.")
  Boolean manageMounts;
}
