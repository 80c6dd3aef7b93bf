package io.rktlet.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Linux capabilities, in kernel bit order (include/uapi/linux/capability.h, Linux 5.9 and later
 * define bits 0 to 40). The order matters: {@link #bit()} is the position in the masks that
 * {@code /proc/<pid>/status} prints as {@code CapBnd}, {@code CapEff} and so on.
 */
public enum Capability {
  CHOWN,
  DAC_OVERRIDE,
  DAC_READ_SEARCH,
  FOWNER,
  FSETID,
  KILL,
  SETGID,
  SETUID,
  SETPCAP,
  LINUX_IMMUTABLE,
  NET_BIND_SERVICE,
  NET_BROADCAST,
  NET_ADMIN,
  NET_RAW,
  IPC_LOCK,
  IPC_OWNER,
  SYS_MODULE,
  SYS_RAWIO,
  SYS_CHROOT,
  SYS_PTRACE,
  SYS_PACCT,
  SYS_ADMIN,
  SYS_BOOT,
  SYS_NICE,
  SYS_RESOURCE,
  SYS_TIME,
  SYS_TTY_CONFIG,
  MKNOD,
  LEASE,
  AUDIT_WRITE,
  AUDIT_CONTROL,
  SETFCAP,
  MAC_OVERRIDE,
  MAC_ADMIN,
  SYSLOG,
  WAKE_ALARM,
  BLOCK_SUSPEND,
  AUDIT_READ,
  PERFMON,
  BPF,
  CHECKPOINT_RESTORE;

  private static final String PREFIX = "CAP_";

  /** Returns the bit of this capability in a capability mask. */
  public int bit() {
    return ordinal();
  }

  /** Returns the name with the {@code CAP_} prefix, as rkt and systemd spell it. */
  public String capName() {
    return PREFIX + name();
  }

  /**
   * Parses a capability name with or without the {@code CAP_} prefix, in any letter case, as
   * the CRI's {@code add_capabilities} and {@code drop_capabilities} carry them. Returns empty
   * for an unknown name and for {@code ALL}, which callers handle themselves.
   */
  public static Optional<Capability> parse(String name) {
    String upper = name.strip().toUpperCase(Locale.ROOT);
    if (upper.startsWith(PREFIX)) {
      upper = upper.substring(PREFIX.length());
    }
    for (Capability capability : values()) {
      if (capability.name().equals(upper)) {
        return Optional.of(capability);
      }
    }
    return Optional.empty();
  }

  /** Returns the capabilities whose bits are set in {@code mask}, ignoring unknown bits. */
  public static Set<Capability> fromMask(long mask) {
    Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    for (Capability capability : values()) {
      if ((mask & (1L << capability.bit())) != 0) {
        capabilities.add(capability);
      }
    }
    return capabilities;
  }

  /** Returns the mask with the bit of each capability set. */
  public static long toMask(Set<Capability> capabilities) {
    long mask = 0;
    for (Capability capability : capabilities) {
      mask |= 1L << capability.bit();
    }
    return mask;
  }
}
