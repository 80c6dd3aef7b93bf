package io.rktlet.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The capabilities an app of a rkt pod can have at most: the bounding set of the pod's
 * systemd-nspawn process. rkt passes a capability the pod lacks on to the app unit, and the
 * kernel drops it without an error ({@code --caps-retain=CAP_NET_ADMIN,CAP_CHOWN} gave an app
 * the bounding set {@code 0x1}, only CAP_CHOWN, with rkt 1.30.0 and systemd 252).
 */
public final class PodCapabilityBound {
  /**
   * The bounding set systemd-nspawn gives a container by default ({@code arg_caps_retain} in
   * systemd's src/nspawn/nspawn.c). {@code rkt app sandbox} adds none, because its pod has no
   * apps when nspawn starts, so rkt passes no {@code --capability}. nspawn adds CAP_NET_ADMIN
   * only with {@code --private-network}, which rkt never passes because it sets up the pod's
   * network namespace itself.
   */
  public static final Set<Capability> NSPAWN_DEFAULT = Collections.unmodifiableSet(EnumSet.of(
      Capability.AUDIT_CONTROL,
      Capability.AUDIT_WRITE,
      Capability.CHOWN,
      Capability.DAC_OVERRIDE,
      Capability.DAC_READ_SEARCH,
      Capability.FOWNER,
      Capability.FSETID,
      Capability.IPC_OWNER,
      Capability.KILL,
      Capability.LEASE,
      Capability.LINUX_IMMUTABLE,
      Capability.MKNOD,
      Capability.NET_BIND_SERVICE,
      Capability.NET_BROADCAST,
      Capability.NET_RAW,
      Capability.SETFCAP,
      Capability.SETGID,
      Capability.SETPCAP,
      Capability.SETUID,
      Capability.SYS_ADMIN,
      Capability.SYS_BOOT,
      Capability.SYS_CHROOT,
      Capability.SYS_NICE,
      Capability.SYS_PTRACE,
      Capability.SYS_RESOURCE,
      Capability.SYS_TTY_CONFIG));

  private final Set<Capability> capabilities;

  private PodCapabilityBound(Set<Capability> capabilities) {
    this.capabilities = Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
  }

  /** Returns a bound of exactly these capabilities (for other stage1 images, and for tests). */
  public static PodCapabilityBound of(Set<Capability> capabilities) {
    EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
    copy.addAll(capabilities);
    return new PodCapabilityBound(copy);
  }

  /** Returns the systemd-nspawn default set, assuming the host's bounding set is complete. */
  public static PodCapabilityBound nspawnDefault() {
    return of(NSPAWN_DEFAULT);
  }

  /**
   * Returns the systemd-nspawn default set limited to the bounding set of the process whose
   * status file is given (normally {@code /proc/self/status}), because a pod never has a
   * capability that rktlet, its ancestor, lacks. Some hosts withhold CAP_SYS_RESOURCE from
   * root, for example.
   *
   * @throws IOException when the file cannot be read or has no {@code CapBnd:} line
   */
  public static PodCapabilityBound nspawnDefaultWithin(Path procStatus) throws IOException {
    Set<Capability> host = boundingSetOf(procStatus);
    EnumSet<Capability> bound = EnumSet.noneOf(Capability.class);
    bound.addAll(NSPAWN_DEFAULT);
    bound.retainAll(host);
    return new PodCapabilityBound(bound);
  }

  /** Reads the {@code CapBnd:} mask of a {@code /proc/<pid>/status} file. */
  static Set<Capability> boundingSetOf(Path procStatus) throws IOException {
    for (String line : Files.readAllLines(procStatus)) {
      if (line.startsWith("CapBnd:")) {
        String hex = line.substring("CapBnd:".length()).strip();
        try {
          return Capability.fromMask(Long.parseUnsignedLong(hex, 16));
        } catch (NumberFormatException e) {
          throw new IOException("invalid CapBnd mask " + hex + " in " + procStatus, e);
        }
      }
    }
    throw new IOException("no CapBnd line in " + procStatus);
  }

  public Set<Capability> capabilities() {
    return capabilities;
  }

  public boolean contains(Capability capability) {
    return capabilities.contains(capability);
  }
}
