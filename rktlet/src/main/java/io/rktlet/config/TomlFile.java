package io.rktlet.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The optional TOML configuration file; every key is optional and unknown keys are errors. */
public record TomlFile(
    @JsonProperty("socket") String socket,
    @JsonProperty("state_dir") String stateDir,
    @JsonProperty("streaming_address") String streamingAddress,
    @JsonProperty("streaming_tls_cert") String streamingTlsCert,
    @JsonProperty("streaming_tls_key") String streamingTlsKey,
    @JsonProperty("streaming_idle_timeout_seconds") Long streamingIdleTimeoutSeconds,
    @JsonProperty("metrics_address") String metricsAddress,
    @JsonProperty("log_level") String logLevel,
    @JsonProperty("reconcile_interval_seconds") Long reconcileIntervalSeconds,
    @JsonProperty("cgroup_driver") String cgroupDriver,
    @JsonProperty("sandbox_launcher") String sandboxLauncher,
    @JsonProperty("cgroup_root") String cgroupRoot,
    @JsonProperty("manage_mounts") Boolean manageMounts,
    @JsonProperty("rkt") RktSection rkt,
    @JsonProperty("runtime_handlers") Map<String, String> runtimeHandlers,
    @JsonProperty("registries") Map<String, RegistrySection> registries) {

  static final TomlFile EMPTY =
      new TomlFile(null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null);

  /** The {@code [rkt]} table. */
  public record RktSection(
      @JsonProperty("binary") String binary,
      @JsonProperty("data_dir") String dataDir,
      @JsonProperty("local_config") String localConfig,
      @JsonProperty("network") String network,
      @JsonProperty("stage1") String stage1,
      @JsonProperty("command_timeout_seconds") Long commandTimeoutSeconds,
      @JsonProperty("pod_ready_timeout_seconds") Long podReadyTimeoutSeconds) {}

  /** One {@code [registries."HOST"]} table. */
  public record RegistrySection(
      @JsonProperty("mirrors") List<String> mirrors,
      @JsonProperty("insecure") Boolean insecure) {}

  /** Reads the file; a syntax error or an unknown key is reported with its location. */
  public static TomlFile read(Path path) {
    TomlMapper mapper = new TomlMapper();
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    try {
      TomlFile file = mapper.readValue(Files.readString(path), TomlFile.class);
      return file == null ? EMPTY : file;
    } catch (JsonMappingException e) {
      throw new ConfigException("invalid configuration file " + path + ": "
          + e.getOriginalMessage() + " at " + e.getPathReference(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + path + ": " + e.getMessage(),
          e);
    }
  }
}
