package io.rktlet.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the configuration on SIGHUP. The log level and the registry settings (mirrors and
 * insecure registries) change at once; any other setting that differs is logged as needing a
 * restart, and the running value stays.
 */
public final class ConfigReloader {
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  private final Options options;
  private final Consumer<Map<String, RegistryHost>> registries;
  private volatile RktletConfig current;

  /**
   * @param options the command line, whose flags keep winning over the file on a reload
   * @param registries receives new registry settings
   */
  public ConfigReloader(Options options, RktletConfig current,
      Consumer<Map<String, RegistryHost>> registries) {
    this.options = options;
    this.current = current;
    this.registries = registries;
  }

  /** Installs the SIGHUP handler. */
  public void install() {
    Signal.handle(new Signal("HUP"), signal -> reload());
    log.info("SIGHUP reloads the log level and registry settings from the configuration");
  }

  /** Reads flags and file again and applies what can change without a restart. */
  public synchronized void reload() {
    RktletConfig next;
    try {
      next = ConfigResolver.resolve(options);
    } catch (ConfigException e) {
      log.warn("Configuration not reloaded, it is invalid: {}", e.getMessage());
      return;
    }
    RktletConfig previous = current;
    if (!next.logLevel().equals(previous.logLevel())) {
      setLogLevel(next.logLevel());
      log.info("log_level is now {} (was {})", next.logLevel(), previous.logLevel());
    }
    if (!next.registries().equals(previous.registries())) {
      registries.accept(next.registries());
      log.info("Registry settings reloaded: {}", next.registries().values());
    }
    warnIfChanged("rkt settings", previous.rkt(), next.rkt());
    warnIfChanged("host settings", previous.host(), next.host());
    warnIfChanged("streaming settings", previous.streaming(), next.streaming());
    warnIfChanged("socket", previous.socket(), next.socket());
    warnIfChanged("state_dir", previous.stateDir(), next.stateDir());
    warnIfChanged("reconcile_interval_seconds", previous.reconcileInterval(),
        next.reconcileInterval());
    warnIfChanged("metrics_address", previous.metricsAddress(), next.metricsAddress());
    current = next;
  }

  /** Sets the root log level; throws ConfigException for an unknown level. */
  public static void setLogLevel(String level) {
    Level parsed = Level.toLevel(level, null);
    if (parsed == null) {
      throw new ConfigException("invalid log level \"" + level
          + "\"; expected trace, debug, info, warn or error");
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(parsed);
  }

  private static void warnIfChanged(String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      log.warn("The {} changed in the configuration; they take effect after a restart", what);
    }
  }
}
