package io.rktlet.security;

/**
 * One namespaced kernel parameter to set in a pod.
 *
 * @param name the parameter in dotted notation, such as {@code net.ipv4.ip_forward}; a dot
 *     inside a component (an interface name such as {@code eth0.100}) is written as {@code /},
 *     as the kubelet does ({@code net.ipv4.conf.eth0/100.rp_filter})
 * @param value the value as written to the file, such as {@code 1} or {@code 1024 65000}
 * @param namespace the kernel namespace the parameter belongs to
 */
public record Sysctl(String name, String value, Namespace namespace) {
  /** The kernel namespace a parameter belongs to. */
  public enum Namespace {
    NET,
    IPC
  }

  /**
   * Returns the file below {@code /proc/sys}: dots become {@code /} and a {@code /} in the
   * name becomes a dot, so {@code net.ipv4.conf.eth0/100.rp_filter} is
   * {@code net/ipv4/conf/eth0.100/rp_filter}.
   */
  public String procSysPath() {
    return swapDotsAndSlashes(name);
  }

  /** Returns {@code text} with every dot replaced by a slash and every slash by a dot. */
  static String swapDotsAndSlashes(String text) {
    StringBuilder swapped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '.') {
        swapped.append('/');
      } else if (c == '/') {
        swapped.append('.');
      } else {
        swapped.append(c);
      }
    }
    return swapped.toString();
  }
}
