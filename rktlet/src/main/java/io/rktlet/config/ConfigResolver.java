package io.rktlet.config;

import io.rktlet.rkt.SandboxSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Merges command-line options, the TOML file and defaults into one {@link RktletConfig}. */
public final class ConfigResolver {
  private ConfigResolver() {}

  public static RktletConfig resolve(Options options) {
    TomlFile file = readFile(options.configFile);
    TomlFile.RktSection rkt = file.rkt() != null ? file.rkt()
        : new TomlFile.RktSection(null, null, null, null, null, null, null);
    RktletConfig.Rkt rktConfig = new RktletConfig.Rkt(
        path(options.rktBinary, rkt.binary(), Defaults.RKT_BINARY),
        path(options.rktDataDir, rkt.dataDir(), Defaults.RKT_DATA_DIR),
        path(options.rktLocalConfig, rkt.localConfig(), null),
        first(options.network, rkt.network(), null),
        stage1Images(options, file, rkt),
        seconds("rkt command timeout", options.rktCommandTimeoutSeconds,
            rkt.commandTimeoutSeconds(), Defaults.RKT_COMMAND_TIMEOUT_SECONDS),
        seconds("pod ready timeout", options.podReadyTimeoutSeconds,
            rkt.podReadyTimeoutSeconds(), Defaults.POD_READY_TIMEOUT_SECONDS));
    RktletConfig.Host host = new RktletConfig.Host(
        cgroupDriver(first(options.cgroupDriver, file.cgroupDriver(), null)),
        LauncherKind.parse(first(options.sandboxLauncher, file.sandboxLauncher(), "auto")),
        path(options.cgroupRoot, file.cgroupRoot(), Defaults.CGROUP_ROOT),
        first(options.manageMounts, file.manageMounts(), Boolean.TRUE));
    return new RktletConfig(
        path(options.socket, file.socket(), Defaults.SOCKET),
        path(options.stateDir, file.stateDir(), Defaults.STATE_DIR),
        streaming(options, file),
        first(options.logLevel, file.logLevel(), Defaults.LOG_LEVEL),
        seconds("reconcile interval", options.reconcileIntervalSeconds,
            file.reconcileIntervalSeconds(), Defaults.RECONCILE_INTERVAL_SECONDS),
        eventBuffer(options.eventBuffer),
        rktConfig,
        host,
        registries(options, file),
        metricsAddress(first(options.metricsAddress, file.metricsAddress(), null)));
  }

  private static TomlFile readFile(Path explicit) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) {
        throw new ConfigException("configuration file " + explicit + " does not exist");
      }
      return TomlFile.read(explicit);
    }
    Path standard = Path.of(Defaults.CONFIG_FILE);
    return Files.isRegularFile(standard) ? TomlFile.read(standard) : TomlFile.EMPTY;
  }

  private static Map<String, SandboxSpec.Stage1> stage1Images(
      Options options, TomlFile file, TomlFile.RktSection rkt) {
    Map<String, SandboxSpec.Stage1> images = new LinkedHashMap<>();
    images.put("", Stage1Image.parse(first(options.stage1, rkt.stage1(), null)));
    if (file.runtimeHandlers() != null) {
      file.runtimeHandlers().forEach((handler, image) -> images.put(handler,
          Stage1Image.parse(image)));
    }
    for (String entry : options.runtimeHandlers) {
      String[] parts = keyValue("--runtime-handler", entry);
      images.put(parts[0], Stage1Image.parse(parts[1]));
    }
    return images;
  }

  private static Map<String, RegistryHost> registries(Options options, TomlFile file) {
    Map<String, List<URI>> mirrors = new LinkedHashMap<>();
    Map<String, Boolean> insecure = new LinkedHashMap<>();
    if (file.registries() != null) {
      file.registries().forEach((host, section) -> {
        List<String> urls = section.mirrors() == null ? List.of() : section.mirrors();
        urls.forEach(url -> mirrors.computeIfAbsent(host, h -> new ArrayList<>())
            .add(uri(host, url)));
        insecure.put(host, Boolean.TRUE.equals(section.insecure()));
      });
    }
    for (String entry : options.registryMirrors) {
      String[] parts = keyValue("--registry-mirror", entry);
      mirrors.computeIfAbsent(parts[0], h -> new ArrayList<>()).add(uri(parts[0], parts[1]));
    }
    options.insecureRegistries.forEach(host -> insecure.put(host, true));
    Map<String, RegistryHost> hosts = new LinkedHashMap<>();
    for (String host : union(mirrors.keySet(), insecure.keySet())) {
      hosts.put(host, new RegistryHost(host, mirrors.getOrDefault(host, List.of()),
          insecure.getOrDefault(host, false)));
    }
    return hosts;
  }

  private static List<String> union(Iterable<String> first, Iterable<String> second) {
    List<String> all = new ArrayList<>();
    first.forEach(all::add);
    second.forEach(key -> {
      if (!all.contains(key)) {
        all.add(key);
      }
    });
    return all;
  }

  private static URI uri(String host, String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid mirror URL \"" + text + "\" for registry " + host, e);
    }
  }

  private static RktletConfig.Streaming streaming(Options options, TomlFile file) {
    Path certificate = path(options.streamingTlsCert, file.streamingTlsCert(), null);
    Path key = path(options.streamingTlsKey, file.streamingTlsKey(), null);
    if ((certificate == null) != (key == null)) {
      throw new ConfigException("the streaming server's TLS needs both a certificate "
          + "(--streaming-tls-cert) and a key (--streaming-tls-key)");
    }
    return new RktletConfig.Streaming(
        first(options.streamingAddress, file.streamingAddress(), Defaults.STREAMING_ADDRESS),
        certificate, key,
        seconds("streaming idle timeout", options.streamingIdleTimeoutSeconds,
            file.streamingIdleTimeoutSeconds(), Defaults.STREAMING_IDLE_TIMEOUT_SECONDS));
  }

  private static int eventBuffer(Integer flag) {
    int events = flag == null ? Defaults.EVENT_BUFFER : flag;
    if (events < 1) {
      throw new ConfigException("invalid event buffer " + events + "; expected at least 1");
    }
    return events;
  }

  private static HostPort metricsAddress(String text) {
    return text == null || text.isBlank() ? null : HostPort.parse("metrics address", text);
  }

  private static CgroupDriver cgroupDriver(String text) {
    if (text == null) {
      return SystemdDetector.isSystemdInit() ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS;
    }
    return CgroupDriver.parse(text);
  }

  private static String[] keyValue(String option, String entry) {
    int equals = entry.indexOf('=');
    if (equals <= 0) {
      throw new ConfigException("invalid " + option + " value \"" + entry
          + "\"; expected KEY=VALUE");
    }
    return new String[] {entry.substring(0, equals), entry.substring(equals + 1)};
  }

  private static Duration seconds(String what, Long flag, Long file, long fallback) {
    long seconds = first(flag, file, fallback);
    if (seconds <= 0) {
      throw new ConfigException("invalid " + what + " " + seconds + "; expected seconds > 0");
    }
    return Duration.ofSeconds(seconds);
  }

  private static Path path(Path flag, String file, String fallback) {
    Function<String, Path> toPath = text -> text == null ? null : Path.of(text);
    return flag != null ? flag : file != null ? toPath.apply(file) : toPath.apply(fallback);
  }

  private static <T> T first(T flag, T file, T fallback) {
    return flag != null ? flag : file != null ? file : fallback;
  }
}
