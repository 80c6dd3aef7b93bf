package io.rktlet.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * One line of {@code /proc/<pid>/mountinfo}, as described in proc(5).
 *
 * <p>Example: {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw}. The
 * kernel writes a space, tab, newline or backslash inside a path or source as an octal escape
 * ({@code \040}, {@code \011}, {@code \012}, {@code \134}); the fields here are decoded.
 *
 * @param mountId unique ID of the mount
 * @param parentId ID of the parent mount (the mount's own ID for the root of the tree)
 * @param device {@code major:minor} of the filesystem's device
 * @param root directory of the filesystem that forms the root of this mount
 * @param mountPoint where the mount is, relative to the reading process's root
 * @param mountOptions per-mount options such as {@code ro}, {@code nosuid}, {@code relatime}
 * @param optionalFields propagation tags such as {@code shared:5}, {@code master:3},
 *     {@code propagate_from:2}, {@code unbindable}; empty for a private mount
 * @param fsType filesystem type, for example {@code ext4} or {@code tmpfs}
 * @param source filesystem-specific source, for example {@code /dev/sda1} or {@code none}
 * @param superOptions per-superblock options
 */
public record MountInfo(
    int mountId,
    int parentId,
    String device,
    String root,
    Path mountPoint,
    List<String> mountOptions,
    List<String> optionalFields,
    String fsType,
    String source,
    List<String> superOptions) {

  public MountInfo {
    mountOptions = List.copyOf(mountOptions);
    optionalFields = List.copyOf(optionalFields);
    superOptions = List.copyOf(superOptions);
  }

  /** Parses every non-blank line of a mountinfo file's text, in order. */
  public static List<MountInfo> parseAll(String text) {
    List<MountInfo> mounts = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        mounts.add(parse(line));
      }
    }
    return mounts;
  }

  /**
   * Parses one mountinfo line.
   *
   * @throws IllegalArgumentException when the line does not have the fields proc(5) describes
   */
  public static MountInfo parse(String line) {
    String[] fields = line.strip().split(" +");
    int separator = Arrays.asList(fields).indexOf("-");
    if (separator < 6 || fields.length < separator + 3) {
      throw new IllegalArgumentException("invalid mountinfo line (expected 6 fields, optional "
          + "fields, \"-\", then 3 fields): " + line);
    }
    try {
      return new MountInfo(
          Integer.parseInt(fields[0]),
          Integer.parseInt(fields[1]),
          fields[2],
          unescape(fields[3]),
          Path.of(unescape(fields[4])),
          List.of(fields[5].split(",")),
          List.of(Arrays.copyOfRange(fields, 6, separator)),
          unescape(fields[separator + 1]),
          unescape(fields[separator + 2]),
          superOptionsOf(fields, separator));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid mount ID in mountinfo line: " + line, e);
    }
  }

  private static List<String> superOptionsOf(String[] fields, int separator) {
    // The kernel always writes at least ro or rw here, but a line without the field is still
    // accepted.
    if (fields.length <= separator + 3) {
      return List.of();
    }
    return List.of(unescape(fields[separator + 3]).split(","));
  }

  /** Decodes the kernel's three-digit octal escapes, such as {@code \040} for a space. */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder decoded = new StringBuilder(field.length());
    int i = 0;
    while (i < field.length()) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && isOctalEscape(field, i)) {
        decoded.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 4;
      } else {
        decoded.append(c);
        i++;
      }
    }
    return decoded.toString();
  }

  private static boolean isOctalEscape(String field, int backslash) {
    for (int i = backslash + 1; i <= backslash + 3; i++) {
      char digit = field.charAt(i);
      if (digit < '0' || digit > '7') {
        return false;
      }
    }
    return true;
  }

  /** True when the mount is in a peer group ({@code shared:N}), so it sends and receives events. */
  public boolean isShared() {
    return sharedGroup().isPresent();
  }

  /** True when the mount receives events from a peer group ({@code master:N}). */
  public boolean isSlave() {
    return masterGroup().isPresent();
  }

  /** True when the mount may not be bind-mounted ({@code unbindable}). */
  public boolean isUnbindable() {
    return optionalFields.contains("unbindable");
  }

  /** Returns N of {@code shared:N}, the peer group the mount belongs to. */
  public OptionalInt sharedGroup() {
    return tagValue("shared:");
  }

  /** Returns N of {@code master:N}, the peer group the mount receives events from. */
  public OptionalInt masterGroup() {
    return tagValue("master:");
  }

  /** True when the mount has the per-mount option {@code ro}. */
  public boolean isReadOnly() {
    return mountOptions.contains("ro");
  }

  private OptionalInt tagValue(String prefix) {
    for (String field : optionalFields) {
      String value = field.startsWith(prefix) ? field.substring(prefix.length()) : "";
      if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
        return OptionalInt.of(Integer.parseInt(value));
      }
    }
    return OptionalInt.empty();
  }
}
