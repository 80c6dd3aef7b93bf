package io.rktlet.rkt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds a rkt argument vector in which no caller-supplied value can become a flag of its own:
 * values go into {@code --flag=value} form, and positional values that start with {@code -}
 * are rejected before rkt sees them.
 */
public final class RktArgs {
  private static final Set<String> GLOBAL_FLAGS =
      Set.of("dir", "local-config", "system-config", "user-config", "insecure-options", "debug");

  private final List<String> argv = new ArrayList<>();

  private RktArgs(String binary) {
    argv.add(binary);
  }

  public static RktArgs command(String binary) {
    return new RktArgs(binary);
  }

  /** Appends fixed words such as the subcommand {@code app add}; never caller-supplied text. */
  public RktArgs words(String... words) {
    for (String word : words) {
      argv.add(word);
    }
    return this;
  }

  /** Appends {@code --name=value}; the value may contain anything, including leading dashes. */
  public RktArgs flag(String name, String value) {
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("invalid rkt flag name: " + name);
    }
    argv.add("--" + name + "=" + value);
    return this;
  }

  /** Appends a switch such as {@code --force}, which carries no caller-supplied value. */
  public RktArgs booleanFlag(String name) {
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("invalid rkt flag name: " + name);
    }
    argv.add("--" + name);
    return this;
  }

  /** Appends {@code --name=value} when the value is not null. */
  public RktArgs optionalFlag(String name, String value) {
    return value == null ? this : flag(name, value);
  }

  /** Appends a positional argument such as a pod UUID or an image ID. */
  public RktArgs positional(String value) {
    if (value.isEmpty() || value.startsWith("-")) {
      throw new IllegalArgumentException("positional rkt argument must not be empty or start "
          + "with '-': " + value);
    }
    argv.add(value);
    return this;
  }

  /**
   * Appends {@code --} and the given words, which rkt then takes literally (an app's arguments).
   */
  public RktArgs literalArguments(List<String> words) {
    argv.add("--");
    argv.addAll(words);
    return this;
  }

  public List<String> build() {
    return List.copyOf(argv);
  }

  /** Returns the subcommand words of an argument vector, without the binary and global flags. */
  public static String subcommandOf(List<String> argv) {
    StringBuilder words = new StringBuilder();
    for (String arg : argv.subList(1, argv.size())) {
      if (arg.startsWith("--")) {
        String name = arg.substring(2).split("=", 2)[0];
        if (GLOBAL_FLAGS.contains(name)) {
          continue;
        }
        break;
      }
      if (words.length() > 0) {
        words.append(' ');
      }
      words.append(arg);
      if (!arg.equals("app") && !arg.equals("image")) {
        break;
      }
    }
    return words.toString();
  }
}
