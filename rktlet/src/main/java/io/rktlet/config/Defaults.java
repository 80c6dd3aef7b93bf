package io.rktlet.config;

/** Default values, also quoted in the help text. */
final class Defaults {
  static final String CONFIG_FILE = "/etc/rktlet/rktlet.toml";
  static final String SOCKET = "/run/rktlet/rktlet.sock";
  static final String STATE_DIR = "/var/lib/rktlet";
  static final String RKT_BINARY = "/usr/bin/rkt";
  static final String RKT_DATA_DIR = "/var/lib/rkt";
  static final String STREAMING_ADDRESS = "127.0.0.1:0";
  static final String CGROUP_ROOT = "/sys/fs/cgroup";
  static final String LOG_LEVEL = "info";
  static final long RKT_COMMAND_TIMEOUT_SECONDS = 120;
  static final long POD_READY_TIMEOUT_SECONDS = 60;
  static final long RECONCILE_INTERVAL_SECONDS = 2;
  static final int EVENT_BUFFER = 1024;
  static final long STREAMING_IDLE_TIMEOUT_SECONDS = 4 * 60 * 60;

  private Defaults() {}
}
