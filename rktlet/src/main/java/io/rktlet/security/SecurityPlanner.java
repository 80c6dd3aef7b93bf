package io.rktlet.security;

import io.rktlet.cri.v1.Device;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.LinuxSandboxSecurityContext;
import io.rktlet.validation.Check;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a container's security context into a {@link SecurityPlan}, rejecting with
 * INVALID_ARGUMENT (naming the field) whatever neither rkt nor rktlet can honour.
 *
 * <p>Privileged containers are rejected while the pod's capability bound lacks any capability,
 * which is always the case with systemd-nspawn's default set (CAP_NET_ADMIN, CAP_SYS_MODULE,
 * CAP_SYS_TIME and more are missing), because such a container would silently lack what makes
 * it privileged. With a complete bound it gets every capability, no seccomp filter and no
 * masked or read-only paths. NOTE: even then it would not get every host device, which rktlet
 * binds only when listed in {@code devices}.
 */
public final class SecurityPlanner {
  static final String PREFIX = "config.linux.security_context";
  static final String DEVICES = "config.devices";

  private final CapabilityPlanner capabilityPlanner;
  private final SeccompPlanner seccompPlanner;
  private final LsmPolicy lsm;
  private final DevicePlanner devicePlanner;

  public SecurityPlanner(PodCapabilityBound podBound, HostPlatform platform, LsmPolicy lsm,
      DevicePlanner devicePlanner) {
    this.capabilityPlanner = new CapabilityPlanner(podBound);
    this.seccompPlanner = new SeccompPlanner(platform);
    this.lsm = lsm;
    this.devicePlanner = devicePlanner;
  }

  /**
   * Plans a container's security.
   *
   * @param context {@code config.linux.security_context} of CreateContainer
   * @param sandbox the sandbox's security context, which must be privileged when the container
   *     is, as the CRI requires
   * @param devices {@code config.devices} of CreateContainer
   * @param imageUser the image's configured user ({@code app.user} of rkt's image manifest), or
   *     null; used when the context names no user
   * @param imageGroup the image's configured group ({@code app.group}), or null
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT naming the field that cannot be
   *     honoured; Localhost seccomp profiles are read from disk, and an unreadable one is
   *     rejected the same way
   */
  public SecurityPlan plan(LinuxContainerSecurityContext context,
      LinuxSandboxSecurityContext sandbox, List<Device> devices, String imageUser,
      String imageGroup) {
    boolean privileged = context.getPrivileged();
    if (privileged) {
      // First the reason no privileged container can run in a rkt pod at all, which is more
      // useful than asking for a privileged sandbox that would be rejected as well.
      capabilityPlanner.planPrivileged(PREFIX + ".privileged");
    }
    if (privileged && !sandbox.getPrivileged()) {
      throw Check.invalid(PREFIX + ".privileged", true, "the sandbox is not privileged, and the"
          + " CRI allows privileged containers only in privileged sandboxes");
    }
    NamespacePolicy.check(context.getNamespaceOptions(), PREFIX + ".namespace_options");
    @SuppressWarnings("deprecation")
    String deprecatedAppArmor = context.getApparmorProfile();
    lsm.checkAppArmor(context.hasApparmor(), context.getApparmor(), deprecatedAppArmor, PREFIX);
    lsm.checkSelinux(context.hasSelinuxOptions(), context.getSelinuxOptions(), PREFIX);

    CapabilitySets capabilities = privileged
        ? capabilityPlanner.planPrivileged(PREFIX + ".privileged")
        : capabilityPlanner.plan(context.getCapabilities(), PREFIX + ".capabilities");
    SeccompFilter seccomp = privileged
        ? SeccompFilter.unconfined()
        : seccompPlanner.plan(context, capabilities.container(), PREFIX);
    IdentityPlan identity = IdentityPlanner.plan(context, imageUser, imageGroup, PREFIX);
    List<PathRestriction> restrictions = privileged ? List.of() : pathRestrictions(context);
    List<DeviceBind> deviceBinds = devicePlanner.plan(devices, DEVICES);
    return new SecurityPlan(capabilities, seccomp, identity, context.getNoNewPrivs(),
        context.getReadonlyRootfs(), privileged, restrictions, deviceBinds);
  }

  private static List<PathRestriction> pathRestrictions(LinuxContainerSecurityContext context) {
    List<PathRestriction> restrictions = new ArrayList<>();
    addPaths(restrictions, context.getMaskedPathsList(), PREFIX + ".masked_paths",
        PathRestriction.Kind.MASK);
    addPaths(restrictions, context.getReadonlyPathsList(), PREFIX + ".readonly_paths",
        PathRestriction.Kind.READ_ONLY);
    return restrictions;
  }

  private static void addPaths(List<PathRestriction> restrictions, List<String> paths,
      String field, PathRestriction.Kind kind) {
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      String indexed = field + "[" + i + "]";
      Check.absolutePath(indexed, path);
      if (!Path.of(path).normalize().toString().equals(path) || path.equals("/")) {
        throw Check.invalid(indexed, path,
            "must be a normalized path below / without '.', '..' or repeated '/'");
      }
      restrictions.add(new PathRestriction(path, kind));
    }
  }
}
