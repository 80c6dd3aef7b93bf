package io.rktlet.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

final class Enums {
  private Enums() {}

  static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String allowed = Arrays.stream(type.getEnumConstants())
          .map(value -> value.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));
      throw new ConfigException("invalid " + what + " \"" + text + "\"; expected one of "
          + allowed);
    }
  }
}
