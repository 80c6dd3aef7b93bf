package io.rktlet.security;

import java.util.Locale;

/**
 * The host facts that decide which rules of a Docker-format seccomp profile apply.
 *
 * @param arch the architecture in Docker's notation ({@code amd64}, {@code arm64}, ...)
 * @param kernelRelease the running kernel's release, such as {@code 6.1.0-18-amd64}
 */
public record HostPlatform(String arch, String kernelRelease) {

  /** Returns the facts of the host this JVM runs on. */
  public static HostPlatform current() {
    return new HostPlatform(dockerArch(System.getProperty("os.arch")),
        System.getProperty("os.version"));
  }

  /** Converts a JVM architecture name to Docker's ({@code x86_64} and {@code amd64} alike). */
  static String dockerArch(String jvmArch) {
    String arch = jvmArch.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64":
      case "amd64":
        return "amd64";
      case "aarch64":
        return "arm64";
      case "x86":
      case "i386":
      case "i686":
        return "x86";
      default:
        return arch;
    }
  }

  /**
   * Returns whether the kernel is at least {@code minimum} ({@code major.minor}). A release
   * that does not start with two numbers counts as new enough.
   */
  public boolean kernelAtLeast(String minimum) {
    int[] required = majorMinor(minimum);
    int[] running = majorMinor(kernelRelease);
    if (required == null) {
      throw new IllegalArgumentException("invalid kernel version " + minimum
          + ": expected major.minor such as 4.8");
    }
    if (running == null) {
      return true;
    }
    return running[0] != required[0] ? running[0] > required[0] : running[1] >= required[1];
  }

  private static int[] majorMinor(String version) {
    String[] parts = version.split("[.-]");
    if (parts.length < 2) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
