package io.rktlet.security;

import io.rktlet.validation.Check;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes a container's capability sets from the CRI {@code Capability} message, and the
 * larger set rkt must retain so that rktlet's supervisor can switch to the container's user and
 * then drop to the container's set.
 */
public final class CapabilityPlanner {
  /**
   * The capabilities a container has when the request adds and drops none: the list containerd
   * starts from ({@code defaultUnixCaps} in containerd's pkg/oci/spec.go). Docker and rkt
   * (appDefaultCapabilities in stage1/init/common/pod.go) use the same list. CRI-O's default
   * is configurable ({@code default_capabilities} in crio.conf) and not followed here.
   */
  public static final Set<Capability> DEFAULT = Collections.unmodifiableSet(EnumSet.of(
      Capability.CHOWN,
      Capability.DAC_OVERRIDE,
      Capability.FSETID,
      Capability.FOWNER,
      Capability.MKNOD,
      Capability.NET_RAW,
      Capability.SETGID,
      Capability.SETUID,
      Capability.SETFCAP,
      Capability.SETPCAP,
      Capability.NET_BIND_SERVICE,
      Capability.SYS_CHROOT,
      Capability.KILL,
      Capability.AUDIT_WRITE));

  /**
   * Capabilities the supervisor needs besides the container's set: CAP_SETUID and CAP_SETGID to
   * switch to the container's user and groups, and CAP_SETPCAP to shrink the bounding set.
   */
  public static final Set<Capability> SUPERVISOR = Collections.unmodifiableSet(
      EnumSet.of(Capability.SETUID, Capability.SETGID, Capability.SETPCAP));

  private static final String ALL = "ALL";

  private final PodCapabilityBound podBound;

  public CapabilityPlanner(PodCapabilityBound podBound) {
    this.podBound = podBound;
  }

  /**
   * Applies the request to {@link #DEFAULT} in containerd's order: {@code ALL} in
   * {@code add_capabilities} first (every capability), then {@code ALL} in
   * {@code drop_capabilities} (none left), then each named addition, then each named drop. So
   * drop ALL plus add X gives only X, and add ALL plus drop X gives everything but X. Ambient
   * capabilities are added last, to the container's set and to the ambient set.
   *
   * @param fieldPrefix request path of the message, such as
   *     {@code config.linux.security_context.capabilities}, used in error messages
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for an unknown capability name, or
   *     for a capability the pod's bounding set lacks, which rkt would drop without an error
   */
  public CapabilitySets plan(io.rktlet.cri.v1.Capability request, String fieldPrefix) {
    Set<Capability> container = EnumSet.noneOf(Capability.class);
    container.addAll(DEFAULT);
    String addField = fieldPrefix + ".add_capabilities";
    String dropField = fieldPrefix + ".drop_capabilities";
    String ambientField = fieldPrefix + ".add_ambient_capabilities";
    if (containsAll(request.getAddCapabilitiesList())) {
      container.addAll(EnumSet.allOf(Capability.class));
    }
    if (containsAll(request.getDropCapabilitiesList())) {
      container.clear();
    }
    container.addAll(parseNamed(request.getAddCapabilitiesList(), addField));
    container.removeAll(parseNamed(request.getDropCapabilitiesList(), dropField));
    Set<Capability> ambient = parseNamed(request.getAddAmbientCapabilitiesList(), ambientField);
    container.addAll(ambient);

    requireInPod(ambient, ambientField);
    requireInPod(container, addField);
    return sets(container, ambient);
  }

  /**
   * Returns every known capability for a privileged container.
   *
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT naming the capabilities the pod's
   *     bounding set lacks (with systemd-nspawn's default set, CAP_NET_ADMIN, CAP_SYS_MODULE,
   *     CAP_SYS_RAWIO, CAP_SYS_TIME and others), because a privileged container that silently
   *     lacks them would not be privileged
   */
  public CapabilitySets planPrivileged(String privilegedField) {
    Set<Capability> missing = EnumSet.allOf(Capability.class);
    missing.removeAll(podBound.capabilities());
    if (!missing.isEmpty()) {
      throw Check.invalid(privilegedField, true, "privileged containers need every capability, "
          + "but the bounding set of a rkt app sandbox pod (systemd-nspawn's) lacks "
          + names(missing) + ", so rkt would drop them silently; grant the capabilities the "
          + "container needs with add_capabilities instead");
    }
    return sets(EnumSet.allOf(Capability.class), EnumSet.noneOf(Capability.class));
  }

  private CapabilitySets sets(Set<Capability> container, Set<Capability> ambient) {
    Set<Capability> rktRetain = EnumSet.noneOf(Capability.class);
    rktRetain.addAll(container);
    rktRetain.addAll(SUPERVISOR);
    return new CapabilitySets(container, ambient, rktRetain);
  }

  private void requireInPod(Set<Capability> requested, String field) {
    Set<Capability> missing = EnumSet.noneOf(Capability.class);
    missing.addAll(requested);
    missing.removeAll(podBound.capabilities());
    if (!missing.isEmpty()) {
      throw Check.invalid(field, names(missing), "cannot be granted: the bounding set of a rkt "
          + "app sandbox pod (systemd-nspawn's) lacks " + names(missing)
          + ", and rkt drops such capabilities without an error");
    }
  }

  private static boolean containsAll(List<String> names) {
    return names.stream().anyMatch(name -> name.strip().toUpperCase(Locale.ROOT).equals(ALL));
  }

  private static Set<Capability> parseNamed(List<String> names, String field) {
    Set<Capability> parsed = EnumSet.noneOf(Capability.class);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name.strip().toUpperCase(Locale.ROOT).equals(ALL)) {
        continue;
      }
      Capability capability = Capability.parse(name).orElseThrow(() -> Check.invalid(
          field, name, "not a Linux capability name (for example NET_BIND_SERVICE or ALL)"));
      parsed.add(capability);
    }
    return parsed;
  }

  static String names(Set<Capability> capabilities) {
    return capabilities.stream().map(Capability::capName).collect(Collectors.joining(","));
  }
}
