package io.rktlet.security;

import io.rktlet.cri.v1.SELinuxOption;
import io.rktlet.cri.v1.SecurityProfile;
import io.rktlet.validation.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks AppArmor and SELinux requests. rkt has no option to confine an app with an AppArmor
 * profile or to give it an SELinux label, so rktlet accepts only requests that need neither:
 * an unset, RuntimeDefault or Unconfined AppArmor profile, and empty SELinux options. An
 * explicit profile or label is rejected, with a reason that depends on whether the host has
 * AppArmor or SELinux enabled at all.
 *
 * <p>rktlet has no AppArmor profile of its own, so RuntimeDefault leaves the container with the
 * confinement the pod inherits from its launcher, normally none. NOTE: containerd and CRI-O load
 * a default AppArmor profile on hosts that enable AppArmor; rktlet does not.
 */
public final class LsmPolicy {
  /** Default path whose content is {@code Y} when the kernel's AppArmor module is enabled. */
  public static final Path APPARMOR_ENABLED = Path.of("/sys/module/apparmor/parameters/enabled");

  /** Default path that exists when SELinux is enabled (enforcing or permissive). */
  public static final Path SELINUX_ENFORCE = Path.of("/sys/fs/selinux/enforce");

  private static final String LOCALHOST_PREFIX = "localhost/";

  private final boolean appArmorEnabled;
  private final boolean selinuxEnabled;

  public LsmPolicy(boolean appArmorEnabled, boolean selinuxEnabled) {
    this.appArmorEnabled = appArmorEnabled;
    this.selinuxEnabled = selinuxEnabled;
  }

  /** Detects AppArmor and SELinux from the given files (the defaults above on a real host). */
  public static LsmPolicy detect(Path appArmorEnabledFile, Path selinuxEnforceFile) {
    boolean appArmor = false;
    try {
      appArmor = Files.isRegularFile(appArmorEnabledFile)
          && Files.readString(appArmorEnabledFile).strip().startsWith("Y");
    } catch (IOException e) {
      // Unreadable means no usable AppArmor, as for a missing module.
    }
    return new LsmPolicy(appArmor, Files.exists(selinuxEnforceFile));
  }

  public boolean appArmorEnabled() {
    return appArmorEnabled;
  }

  public boolean selinuxEnabled() {
    return selinuxEnabled;
  }

  /**
   * Checks the AppArmor request: the {@code apparmor} field when set, otherwise the deprecated
   * {@code apparmor_profile} string ({@code runtime/default}, {@code unconfined} or
   * {@code localhost/<name>}).
   *
   * @param prefix request path of the security context, for error messages
   */
  public void checkAppArmor(boolean hasProfile, SecurityProfile profile, String deprecatedName,
      String prefix) {
    if (hasProfile) {
      String field = prefix + ".apparmor";
      if (profile.getProfileType() != SecurityProfile.ProfileType.Localhost
          && !profile.getLocalhostRef().isEmpty()) {
        throw Check.invalid(field + ".localhost_ref", profile.getLocalhostRef(),
            "must be empty unless profile_type is Localhost");
      }
      if (profile.getProfileType() == SecurityProfile.ProfileType.Localhost) {
        throw rejectAppArmorProfile(field + ".localhost_ref", profile.getLocalhostRef());
      }
      if (profile.getProfileType() == SecurityProfile.ProfileType.UNRECOGNIZED) {
        throw Check.invalid(field + ".profile_type", profile.getProfileTypeValue(),
            "unknown AppArmor profile type");
      }
      return;
    }
    String field = prefix + ".apparmor_profile";
    if (deprecatedName.startsWith(LOCALHOST_PREFIX)) {
      throw rejectAppArmorProfile(field, deprecatedName);
    }
    if (!deprecatedName.isEmpty() && !deprecatedName.equals("runtime/default")
        && !deprecatedName.equals("unconfined")) {
      throw Check.invalid(field, deprecatedName,
          "expected runtime/default, unconfined or localhost/<profile>");
    }
  }

  /** Checks that no SELinux label is requested. */
  public void checkSelinux(boolean hasOptions, SELinuxOption options, String prefix) {
    if (!hasOptions || options.equals(SELinuxOption.getDefaultInstance())) {
      return;
    }
    String label = String.join(":", options.getUser(), options.getRole(), options.getType(),
        options.getLevel());
    String reason = selinuxEnabled
        ? "rkt cannot give an app an SELinux label, so rktlet cannot honour it"
        : "SELinux is not enabled on this host";
    throw Check.invalid(prefix + ".selinux_options", label, reason);
  }

  private RuntimeException rejectAppArmorProfile(String field, String name) {
    String reason = appArmorEnabled
        ? "rkt cannot confine an app with an AppArmor profile, so rktlet cannot honour it"
        : "AppArmor is not enabled on this host";
    return Check.invalid(field, name, reason);
  }
}
