package io.rktlet;

import io.rktlet.config.RegistryHost;
import io.rktlet.config.RktletConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every effective setting once at start-up. The configuration holds no secrets. */
final class ConfigLog {
  private static final Logger log = LoggerFactory.getLogger(ConfigLog.class);

  private ConfigLog() {}

  private static Object orDefault(Object value) {
    return value == null ? "(rkt's default)" : value;
  }

  static void log(RktletConfig config) {
    log.info("Starting rktlet {}", Main.class.getPackage().getImplementationVersion());
    log.info("socket={} state_dir={} streaming_address={} log_level={} "
            + "reconcile_interval={}s", config.socket(), config.stateDir(),
        config.streaming().address(), config.logLevel(),
        config.reconcileInterval().toSeconds());
    log.info("streaming_tls_cert={} streaming_idle_timeout={}s",
        config.streaming().tlsCertificate(), config.streaming().idleTimeout().toSeconds());
    log.info("rkt.binary={} rkt.data_dir={} rkt.local_config={} rkt.network={} "
            + "rkt.command_timeout={}s rkt.pod_ready_timeout={}s", config.rkt().binary(),
        config.rkt().dataDir(), orDefault(config.rkt().localConfig()),
        orDefault(config.rkt().network()),
        config.rkt().commandTimeout().toSeconds(), config.rkt().podReadyTimeout().toSeconds());
    config.rkt().stage1ByHandler().forEach((handler, stage1) -> log.info(
        "runtime handler \"{}\" uses stage1 {}", handler,
        stage1 == null ? "(rkt's default)" : stage1.kind().flag() + "=" + stage1.value()));
    log.info("cgroup_driver={} sandbox_launcher={} cgroup_root={} manage_mounts={}",
        config.host().cgroupDriver(), config.host().launcher(), config.host().cgroupRoot(),
        config.host().manageMounts());
    log.info("metrics_address={}",
        config.metricsAddress() == null ? "(none)" : config.metricsAddress());
    for (RegistryHost registry : config.registries().values()) {
      log.info("registry {}: mirrors={} insecure={}", registry.host(), registry.mirrors(),
          registry.insecure());
    }
  }
}
