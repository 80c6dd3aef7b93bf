package io.rktlet.util;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Sandbox and container IDs: 64 lowercase hex characters, like other CRI runtimes use. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

  private Ids() {}

  public static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public static boolean isFullId(String text) {
    return FULL_ID.matcher(text).matches();
  }
}
