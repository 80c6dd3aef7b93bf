package io.rktlet.rkt;

import java.util.List;
import java.util.stream.Collectors;

/** Harmless warnings that rkt prints on hosts without a "rkt" group. */
final class RktWarnings {
  private static final List<String> HARMLESS =
      List.of(
          // add: group "rkt" not found, will use default gid when rendering images
          "group \"rkt\" not found, will use default gid",
          // stage1: warning: error setting journal ACLs, you'll need root to read the pod journal
          "error setting journal ACLs");

  private RktWarnings() {}

  /** Returns stderr without the harmless warning lines. */
  static String strip(String stderr) {
    return stderr.lines()
        .filter(line -> HARMLESS.stream().noneMatch(line::contains))
        .collect(Collectors.joining("\n"))
        .strip();
  }
}
