package io.rktlet.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A cgroup file of {@code key value} lines, such as {@code memory.stat}, {@code cpu.stat},
 * {@code memory.events} and {@code memory.oom_control}.
 */
public final class KeyValueFile {
  private final Path file;
  private final Map<String, String> values;

  private KeyValueFile(Path file, Map<String, String> values) {
    this.file = file;
    this.values = Collections.unmodifiableMap(values);
  }

  /** Reads the file; lines without a space are skipped. */
  public static KeyValueFile read(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.strip().split("\\s+", 2);
      if (parts.length == 2) {
        values.put(parts[0], parts[1]);
      }
    }
    return new KeyValueFile(file, values);
  }

  /**
   * Returns the value of {@code key} as an unsigned 64-bit number, or empty when the key is
   * missing.
   *
   * @throws IOException when the value is not a number
   */
  public OptionalLong value(String key) throws IOException {
    String text = values.get(key);
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(text));
    } catch (NumberFormatException e) {
      throw new IOException("invalid value " + text + " for " + key + " in " + file, e);
    }
  }

  /** Returns the value of {@code key}, or 0 when the key is missing. */
  public long valueOrZero(String key) throws IOException {
    return value(key).orElse(0);
  }

  public Map<String, String> values() {
    return values;
  }
}
