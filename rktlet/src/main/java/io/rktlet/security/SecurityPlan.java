package io.rktlet.security;

import io.rktlet.rkt.AppSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan that carries out a container's security context. rkt starts rktlet's supervisor as
 * root with the capabilities and seccomp filter below, and the supervisor then switches its
 * child to the container's identity and exact capability set.
 *
 * <p>Values for {@code rkt app add}: {@link #rktUser()}, {@link #rktGroup()},
 * {@link #rktCapsRetain()}, {@link #rktSeccomp()}, {@link #readOnlyRootfs()}, or all at once
 * from {@link #rktSecurity()}. Lines for the supervisor's spec file:
 * {@link #supervisorLines()}. Mounts the caller makes before {@code rkt app start}:
 * {@link #pathRestrictions()} (see {@link BindInstruction#forRootfs}) and {@link #devices()}.
 *
 * @param capabilities the container's sets and rkt's retain set
 * @param seccomp the container's exact filter
 * @param identity user and groups of the container's processes
 * @param noNewPrivs whether the container's processes run with no_new_privs
 * @param readOnlyRootfs whether the app's root filesystem is read-only. rkt's
 *     {@code --readonly-rootfs} makes every mount under the root read-only too (the recorded
 *     run showed /dev/shm read-only), including binds rktlet makes there
 * @param privileged whether the request was privileged (no seccomp filter and no masking)
 * @param pathRestrictions masked and read-only paths in request order, masked first
 * @param devices host devices to bind into the app
 */
public record SecurityPlan(
    CapabilitySets capabilities,
    SeccompFilter seccomp,
    IdentityPlan identity,
    boolean noNewPrivs,
    boolean readOnlyRootfs,
    boolean privileged,
    List<PathRestriction> pathRestrictions,
    List<DeviceBind> devices) {

  /** rkt's user for the app: the supervisor starts as root and switches identity itself. */
  public static final String RKT_USER = "0";

  /** rkt's group for the app, for the same reason as {@link #RKT_USER}. */
  public static final String RKT_GROUP = "0";

  public SecurityPlan {
    pathRestrictions = List.copyOf(pathRestrictions);
    devices = List.copyOf(devices);
  }

  public String rktUser() {
    return RKT_USER;
  }

  public String rktGroup() {
    return RKT_GROUP;
  }

  /** Returns the names for {@code --caps-retain}, never empty (rkt rejects an empty set). */
  public List<String> rktCapsRetain() {
    return capabilities.rktCapsRetain();
  }

  /**
   * Returns the value of {@code --seccomp}: the container's filter widened by
   * {@link SupervisorSyscalls#REQUIRED}, because rkt applies it to the supervisor as well.
   */
  public String rktSeccomp() {
    return seccomp.admitting(SupervisorSyscalls.REQUIRED).rktValue();
  }

  /** Returns the security part of rkt's app spec; the identity goes into {@link AppSpec}. */
  public AppSpec.Security rktSecurity() {
    return new AppSpec.Security(readOnlyRootfs ? Boolean.TRUE : null, rktCapsRetain(),
        List.of(), rktSeccomp());
  }

  /**
   * Returns the supervisor's security lines, each {@code key=value}, in this order:
   * {@code user=}, {@code group=} (left out for the user's primary group), {@code groups=}
   * (supplemental GIDs, possibly empty), {@code groups_policy=merge|strict}, {@code caps=} and
   * {@code ambient=} (capability names with the {@code CAP_} prefix, joined by commas, possibly
   * empty), {@code no_new_privs=1|0}, and {@code seccomp=} (see
   * {@link SeccompFilter#supervisorValue()}; left out when unconfined).
   *
   * <p>The supervisor applies the filter to exec'd commands. NOTE: it can also narrow the
   * container's main process from rkt's widened filter to this exact one, but installing a
   * filter takes no_new_privs or CAP_SYS_ADMIN, so a container with neither runs under rkt's
   * filter, which also admits {@link SupervisorSyscalls#REQUIRED}.
   */
  public List<String> supervisorLines() {
    List<String> lines = new ArrayList<>();
    lines.add("user=" + identity.user());
    if (identity.group() != null) {
      lines.add("group=" + identity.group());
    }
    lines.add("groups=" + identity.supervisorGroups());
    lines.add("groups_policy=" + identity.supervisorGroupsPolicy());
    lines.add("caps=" + capabilities.supervisorCaps());
    lines.add("ambient=" + capabilities.supervisorAmbient());
    lines.add("no_new_privs=" + (noNewPrivs ? "1" : "0"));
    String filter = seccomp.supervisorValue();
    if (filter != null) {
      lines.add("seccomp=" + filter);
    }
    return lines;
  }
}
