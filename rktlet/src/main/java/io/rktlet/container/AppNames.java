package io.rktlet.container;

import java.util.Locale;

/**
 * Derives rkt app names from container names. rkt accepts only ACNames (lowercase letters,
 * digits and {@code -}, starting and ending with a letter or digit), so the name is folded to
 * that alphabet and the first 12 characters of the container ID are appended: {@code FooBar}
 * and {@code foobar} stay apart, and a person reading {@code rkt list} still recognises the
 * container.
 */
public final class AppNames {
  private static final int MAX_NAME_PART = 40;
  private static final int ID_PART = 12;

  private AppNames() {}

  public static String derive(String containerName, String containerId) {
    String folded = containerName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    folded = trimDashes(folded);
    if (folded.length() > MAX_NAME_PART) {
      folded = trimDashes(folded.substring(0, MAX_NAME_PART));
    }
    String suffix = containerId.substring(0, ID_PART);
    return folded.isEmpty() ? "c-" + suffix : folded + "-" + suffix;
  }

  private static String trimDashes(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '-') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '-') {
      end--;
    }
    return text.substring(start, end);
  }
}
