package io.rktlet.config;

import io.rktlet.rkt.SandboxSpec;

/** Parses stage1 image settings such as {@code name:coreos.com/rkt/stage1-host:1.30.0}. */
public final class Stage1Image {
  private Stage1Image() {}

  /**
   * Parses {@code name:NAME}, {@code path:FILE}, {@code url:URL}, {@code hash:ID} or
   * {@code dir:FILE} (a file in rkt's stage1 images directory). A bare absolute path means a
   * path, anything else bare means a name. Returns null for an empty value (rkt's default).
   */
  public static SandboxSpec.Stage1 parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    int colon = text.indexOf(':');
    String prefix = colon > 0 ? text.substring(0, colon) : "";
    String rest = colon > 0 ? text.substring(colon + 1) : text;
    SandboxSpec.Stage1.Kind kind =
        switch (prefix) {
          case "name" -> SandboxSpec.Stage1.Kind.NAME;
          case "path" -> SandboxSpec.Stage1.Kind.PATH;
          case "url" -> SandboxSpec.Stage1.Kind.URL;
          case "hash" -> SandboxSpec.Stage1.Kind.HASH;
          case "dir" -> SandboxSpec.Stage1.Kind.FROM_DIR;
          default -> null;
        };
    if (kind == null) {
      kind = text.startsWith("/") ? SandboxSpec.Stage1.Kind.PATH : SandboxSpec.Stage1.Kind.NAME;
      rest = text;
    }
    if (rest.isEmpty()) {
      throw new ConfigException("invalid stage1 image \"" + text + "\": nothing after the prefix");
    }
    return new SandboxSpec.Stage1(kind, rest);
  }
}
