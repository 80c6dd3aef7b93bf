package io.rktlet.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code dist/rktlet.toml.example} in step with {@link TomlFile}: the file parses, it
 * documents every key that TomlFile accepts and no other, and the values it marks as defaults
 * are rktlet's defaults.
 */
class ExampleConfigTest {
  private static final Path EXAMPLE = Path.of(
      System.getProperty("rktlet.exampleConfig", "../dist/rktlet.toml.example"));

  /** A commented-out setting or table header: "#" directly followed by a key or "[". */
  private static final Pattern COMMENTED_SETTING = Pattern.compile("(?m)^#(?=[a-z\\[])");
  private static final Pattern TABLE = Pattern.compile("^\\[([^\\]]+)\\]$");
  private static final Pattern KEY = Pattern.compile("^([a-z_0-9]+)\\s*=");

  @TempDir
  Path dir;

  @Test
  void exampleParsesToDefaults() {
    assertThat(TomlFile.read(EXAMPLE)).isEqualTo(TomlFile.EMPTY);
  }

  @Test
  void uncommentedExampleSetsEveryKey() throws IOException, ReflectiveOperationException {
    TomlFile file = TomlFile.read(uncommented());

    assertAllSet("", file);
    assertAllSet("rkt.", file.rkt());
    assertThat(file.runtimeHandlers()).isNotEmpty();
    assertThat(file.registries()).isNotEmpty();
    for (RecordComponent component : TomlFile.RegistrySection.class.getRecordComponents()) {
      assertThat(file.registries().values())
          .as("registries.HOST.%s in some registry table", keyOf(component))
          .anyMatch(section -> get(component, section) != null);
    }
  }

  @Test
  void exampleDocumentsExactlyAcceptedKeys() throws IOException {
    Map<String, Set<String>> documented = keysByTable(Files.readString(uncommented()));

    assertThat(documented.get("")).isEqualTo(keysOf(TomlFile.class));
    assertThat(documented.get("rkt")).isEqualTo(keysOf(TomlFile.RktSection.class));
    assertThat(documented.get("registries.*")).isEqualTo(keysOf(TomlFile.RegistrySection.class));
    assertThat(documented).containsOnlyKeys("", "rkt", "runtime_handlers", "registries.*");
  }

  @Test
  void documentedDefaultsMatchRktlet() throws IOException {
    TomlFile file = TomlFile.read(uncommented());

    assertThat(file.socket()).isEqualTo(Defaults.SOCKET);
    assertThat(file.stateDir()).isEqualTo(Defaults.STATE_DIR);
    assertThat(file.streamingAddress()).isEqualTo(Defaults.STREAMING_ADDRESS);
    assertThat(file.logLevel()).isEqualTo(Defaults.LOG_LEVEL);
    assertThat(file.reconcileIntervalSeconds()).isEqualTo(Defaults.RECONCILE_INTERVAL_SECONDS);
    assertThat(file.sandboxLauncher()).isEqualTo("auto");
    assertThat(file.cgroupRoot()).isEqualTo(Defaults.CGROUP_ROOT);
    assertThat(file.manageMounts()).isTrue();
    assertThat(file.rkt().binary()).isEqualTo(Defaults.RKT_BINARY);
    assertThat(file.rkt().dataDir()).isEqualTo(Defaults.RKT_DATA_DIR);
    assertThat(file.rkt().commandTimeoutSeconds())
        .isEqualTo(Defaults.RKT_COMMAND_TIMEOUT_SECONDS);
    assertThat(file.rkt().podReadyTimeoutSeconds())
        .isEqualTo(Defaults.POD_READY_TIMEOUT_SECONDS);
  }

  @Test
  void uncommentedExampleResolves() throws IOException {
    Options options = new Options();
    new picocli.CommandLine(options).parseArgs("--config=" + uncommented());

    RktletConfig config = ConfigResolver.resolve(options);

    assertThat(config.metricsAddress()).isEqualTo(new HostPort("127.0.0.1", 9100));
    assertThat(config.rkt().stage1ByHandler()).containsOnlyKeys("", "kvm");
    assertThat(config.registries()).containsOnlyKeys("docker.io", "127.0.0.1:5000");
  }

  /** Writes the example with every commented-out setting and table header uncommented. */
  private Path uncommented() throws IOException {
    String text = COMMENTED_SETTING.matcher(Files.readString(EXAMPLE)).replaceAll("");
    return Files.writeString(dir.resolve("uncommented.toml"), text);
  }

  /** Collects the keys per table; every {@code registries."HOST"} table counts as one. */
  private static Map<String, Set<String>> keysByTable(String toml) {
    Map<String, Set<String>> keys = new TreeMap<>();
    String table = "";
    keys.put(table, new TreeSet<>());
    for (String line : toml.lines().map(String::strip).toList()) {
      Matcher header = TABLE.matcher(line);
      Matcher key = KEY.matcher(line);
      if (header.matches()) {
        table = header.group(1).startsWith("registries.") ? "registries.*" : header.group(1);
        keys.computeIfAbsent(table, t -> new TreeSet<>());
      } else if (key.find() && !table.equals("runtime_handlers")) {
        keys.get(table).add(key.group(1));
      }
    }
    return keys;
  }

  private static Set<String> keysOf(Class<? extends Record> type) {
    Set<String> keys = new TreeSet<>();
    for (RecordComponent component : type.getRecordComponents()) {
      Class<?> valueType = component.getType();
      // Nested records and maps are tables, not keys.
      if (!valueType.isRecord() && !Map.class.isAssignableFrom(valueType)) {
        keys.add(keyOf(component));
      }
    }
    return keys;
  }

  private static void assertAllSet(String prefix, Record record)
      throws ReflectiveOperationException {
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      assertThat(component.getAccessor().invoke(record))
          .as("%s%s in the uncommented example", prefix, keyOf(component))
          .isNotNull();
    }
  }

  /** Returns the TOML key: Java copies a component's @JsonProperty onto its accessor. */
  private static String keyOf(RecordComponent component) {
    return component.getAccessor().getAnnotation(JsonProperty.class).value();
  }

  private static Object get(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
