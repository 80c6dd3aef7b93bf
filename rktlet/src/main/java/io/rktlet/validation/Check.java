package io.rktlet.validation;

import io.rktlet.errors.CriException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Input checks shared by the CRI calls. Every failure is an INVALID_ARGUMENT that names the
 * request field and quotes the value.
 */
public final class Check {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%[A-Za-z0-9_.-]+)?");

  private Check() {}

  public static CriException invalid(String field, Object value, String reason) {
    return CriException.invalidArgument("invalid " + field + " " + quote(value) + ": " + reason);
  }

  /** Rejects an empty value. */
  public static void required(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw CriException.invalidArgument(field + " must not be empty");
    }
  }

  /** Rejects values longer than {@code maxChars} and values with control characters. */
  public static void text(String field, String value, int maxChars) {
    if (value.length() > maxChars) {
      throw invalid(field, abbreviate(value), "longer than " + maxChars + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw invalid(field, value, "contains a control character at index " + i);
      }
    }
  }

  /** Rejects a value that is not an IPv4 or IPv6 address literal (host names included). */
  public static void ipLiteral(String field, String value) {
    if (!IP_LITERAL.matcher(value).matches() || !isAddress(value)) {
      throw invalid(field, value, "not an IP address");
    }
  }

  /** Rejects a path that is not absolute or that contains a NUL or newline. */
  public static void absolutePath(String field, String value) {
    text(field, value, 4096);
    if (!value.startsWith("/")) {
      throw invalid(field, value, "not an absolute path");
    }
  }

  public static String quote(Object value) {
    return "\"" + value + "\"";
  }

  private static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }

  private static boolean isAddress(String value) {
    try {
      // Safe from DNS lookups: the pattern above admits only hex digits, dots and colons.
      InetAddress.getByName(value);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
