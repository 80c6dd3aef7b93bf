package io.rktlet.security;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A container's capabilities and what rkt must retain for them.
 *
 * @param container the container's final set: bounding, permitted and effective for root, and
 *     what the supervisor keeps when it drops privileges
 * @param ambient the container's ambient set, a subset of {@code container}
 * @param rktRetain the set for rkt's {@code --caps-retain}: {@code container} plus
 *     CAP_SETUID, CAP_SETGID and CAP_SETPCAP, which the supervisor needs before it drops them
 */
public record CapabilitySets(
    Set<Capability> container, Set<Capability> ambient, Set<Capability> rktRetain) {

  public CapabilitySets {
    container = frozen(container);
    ambient = frozen(ambient);
    rktRetain = frozen(rktRetain);
  }

  /** Returns the names for {@code rkt app add --caps-retain=}, in kernel bit order. */
  public List<String> rktCapsRetain() {
    return rktRetain.stream().map(Capability::capName).toList();
  }

  /** Returns the supervisor's {@code caps=} value: names joined by commas, possibly empty. */
  public String supervisorCaps() {
    return join(container);
  }

  /** Returns the supervisor's {@code ambient=} value: names joined by commas, possibly empty. */
  public String supervisorAmbient() {
    return join(ambient);
  }

  private static String join(Set<Capability> capabilities) {
    return capabilities.stream().map(Capability::capName).collect(Collectors.joining(","));
  }

  private static Set<Capability> frozen(Set<Capability> capabilities) {
    EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
    copy.addAll(capabilities);
    return Collections.unmodifiableSet(copy);
  }
}
