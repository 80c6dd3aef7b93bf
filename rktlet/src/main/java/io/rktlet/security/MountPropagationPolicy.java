package io.rktlet.security;

import io.rktlet.cri.v1.MountPropagation;
import io.rktlet.host.Mounter;
import io.rktlet.validation.Check;

/**
 * Maps a volume's CRI mount propagation to the propagation of rktlet's host-side bind.
 *
 * <ul>
 *   <li>PROPAGATION_PRIVATE (rprivate): nothing propagates in either direction.
 *   <li>PROPAGATION_HOST_TO_CONTAINER (rslave): mounts the host makes later under the source
 *       reach the container. This works because rkt's data directory is a shared mount and the
 *       pod's mounts are slaves of it.
 *   <li>PROPAGATION_BIDIRECTIONAL (rshared): rejected. systemd-nspawn makes the pod's mount
 *       namespace a slave of the host's (the recorded mountinfo of the pod shows
 *       {@code master:} tags, which mark slave mounts), so a mount made inside the container
 *       can never reach the host. Each app unit also runs in a mount namespace of its own
 *       ({@code MountFlags=shared} in rkt's app unit).
 * </ul>
 */
public final class MountPropagationPolicy {
  private MountPropagationPolicy() {}

  /**
   * Returns the propagation for a volume's bind.
   *
   * @param field request path of the mount, such as {@code config.mounts[0]}
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for bidirectional or unknown modes
   */
  public static Mounter.Propagation of(MountPropagation propagation, String field) {
    switch (propagation) {
      case PROPAGATION_PRIVATE:
        return Mounter.Propagation.PRIVATE;
      case PROPAGATION_HOST_TO_CONTAINER:
        return Mounter.Propagation.HOST_TO_CONTAINER;
      case PROPAGATION_BIDIRECTIONAL:
        throw Check.invalid(field + ".propagation", propagation, "mounts made inside a rkt pod "
            + "cannot reach the host, because systemd-nspawn makes the pod's mounts slaves of "
            + "the host's; use PROPAGATION_HOST_TO_CONTAINER or PROPAGATION_PRIVATE");
      default:
        throw Check.invalid(field + ".propagation", propagation, "unknown mount propagation");
    }
  }
}
