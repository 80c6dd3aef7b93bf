package io.rktlet.security;

import io.rktlet.cri.v1.SecurityProfile;
import io.rktlet.validation.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Chooses a container's seccomp filter from its security context.
 *
 * <p>The {@code seccomp} field wins when it is set. Otherwise the deprecated
 * {@code seccomp_profile_path} is read as containerd reads it ({@code
 * generateSeccompSecurityProfile} in its CRI plugin): empty or {@code unconfined} means no
 * filter, {@code runtime/default} and {@code docker/default} mean the runtime's default, and
 * {@code localhost/<absolute path>} names a profile file. The deprecated path matters only to
 * clients that leave the {@code seccomp} field unset.
 */
public final class SeccompPlanner {
  /** Maximum size of a profile file in bytes. Docker's default profile has about 13 KB. */
  static final long MAX_PROFILE_BYTES = 1024 * 1024;

  private static final String LOCALHOST_PREFIX = "localhost/";

  private final SeccompProfileTranslator translator;

  public SeccompPlanner(HostPlatform platform) {
    this.translator = new SeccompProfileTranslator(platform);
  }

  /**
   * Returns the filter for the container's own processes (before the widening for the
   * supervisor, see {@link SeccompFilter#admitting}).
   *
   * @param capabilities the container's final capability set, which decides the capability
   *     rules of the RuntimeDefault filter and of Docker-format profiles
   * @param fieldPrefix request path of the security context, for error messages
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for an unknown profile type or path
   *     form, an unreadable Localhost profile, or a profile rkt cannot express
   */
  public SeccompFilter plan(io.rktlet.cri.v1.LinuxContainerSecurityContext context,
      Set<Capability> capabilities, String fieldPrefix) {
    if (context.hasSeccomp()) {
      return fromProfile(context.getSeccomp(), capabilities, fieldPrefix + ".seccomp");
    }
    @SuppressWarnings("deprecation")
    String path = context.getSeccompProfilePath();
    return fromPath(path, capabilities, fieldPrefix + ".seccomp_profile_path");
  }

  private SeccompFilter fromProfile(SecurityProfile profile, Set<Capability> capabilities,
      String field) {
    String reference = profile.getLocalhostRef();
    if (profile.getProfileType() != SecurityProfile.ProfileType.Localhost
        && !reference.isEmpty()) {
      throw Check.invalid(field + ".localhost_ref", reference,
          "must be empty unless profile_type is Localhost");
    }
    switch (profile.getProfileType()) {
      case Unconfined:
        return SeccompFilter.unconfined();
      case RuntimeDefault:
        return RuntimeDefaultSeccomp.forCapabilities(capabilities);
      case Localhost:
        return fromFile(reference, capabilities, field + ".localhost_ref");
      default:
        throw Check.invalid(field + ".profile_type", profile.getProfileTypeValue(),
            "unknown seccomp profile type");
    }
  }

  private SeccompFilter fromPath(String path, Set<Capability> capabilities, String field) {
    switch (path) {
      case "":
      case "unconfined":
        return SeccompFilter.unconfined();
      case "runtime/default":
      case "docker/default":
        return RuntimeDefaultSeccomp.forCapabilities(capabilities);
      default:
        if (path.startsWith(LOCALHOST_PREFIX)) {
          return fromFile(path.substring(LOCALHOST_PREFIX.length()), capabilities, field);
        }
        throw Check.invalid(field, path, "expected unconfined, runtime/default, docker/default"
            + " or localhost/<absolute path of a profile>");
    }
  }

  private SeccompFilter fromFile(String reference, Set<Capability> capabilities, String field) {
    Check.absolutePath(field, reference);
    Path file = Path.of(reference);
    String json;
    try {
      if (Files.size(file) > MAX_PROFILE_BYTES) {
        throw Check.invalid(field, reference, "the profile file is larger than "
            + MAX_PROFILE_BYTES + " bytes");
      }
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw Check.invalid(field, reference, "the seccomp profile file does not exist");
    } catch (IOException e) {
      throw Check.invalid(field, reference, "cannot read the seccomp profile: " + e);
    }
    return translator.translate(json, capabilities, field, reference);
  }
}
