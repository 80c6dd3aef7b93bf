package io.rktlet.cgroups;

import io.rktlet.validation.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The path of a pod's cgroup below the cgroup root of each hierarchy, built from the CRI's
 * {@code cgroup_parent} and the sandbox ID.
 *
 * <ul>
 *   <li>cgroupfs driver: the parent is a path such as {@code /kubepods/burstable/pod<uid>} and
 *       the pod's cgroup is {@code kubepods/burstable/pod<uid>/rktlet-<first 16 ID chars>}.
 *   <li>systemd driver: the parent is a slice such as
 *       {@code kubepods-burstable-pod<uid>.slice}, which lives at
 *       {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice}
 *       (each dash opens a level), and the pod's cgroup is the unit's directory below it,
 *       {@code rktlet-<first 16 ID chars>.scope} unless the launcher names its unit otherwise.
 *       systemd creates that directory when the unit starts, not rktlet. A cgroupfs path
 *       becomes a slice the way the kubelet converts it ({@code /kubepods/burstable} becomes
 *       {@code kubepods-burstable.slice}, a dash inside a name becomes {@code _}).
 * </ul>
 *
 * @param relativePath the path below each hierarchy's root, without a leading slash
 * @param driver the cgroup driver the path was built for
 */
public record PodCgroupName(String relativePath, CgroupDriver driver) {
  /** Manager of the cgroup tree: rktlet directly, or systemd through units. */
  public enum CgroupDriver {
    CGROUPFS,
    SYSTEMD
  }

  static final String FIELD = "config.linux.cgroup_parent";
  static final String LEAF_PREFIX = "rktlet-";
  static final int ID_PREFIX_LENGTH = 16;

  private static final Pattern SANDBOX_ID = Pattern.compile("[0-9a-f]{16,}");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[A-Za-z0-9:_.-]+");
  private static final Pattern SLICE_NAME = Pattern.compile("[A-Za-z0-9:_.\\\\-]+\\.slice");
  private static final Pattern UNIT_NAME =
      Pattern.compile("[A-Za-z0-9:_.\\\\-]+\\.(scope|service)");
  private static final String ROOT_SLICE = "-.slice";
  private static final String DEFAULT_SLICE = "system.slice";

  /**
   * Returns the pod's cgroup with the default leaf name for the driver.
   *
   * @param sandboxId rktlet's sandbox ID, 16 or more lowercase hex characters
   * @throws io.rktlet.errors.CriException INVALID_ARGUMENT for a parent in the wrong notation
   *     for the driver or with unsafe components
   */
  public static PodCgroupName forSandbox(CgroupDriver driver, String cgroupParent,
      String sandboxId) {
    if (!SANDBOX_ID.matcher(sandboxId).matches()) {
      throw new IllegalArgumentException("invalid sandbox ID " + sandboxId
          + ": expected at least 16 lowercase hex characters");
    }
    String leaf = LEAF_PREFIX + sandboxId.substring(0, ID_PREFIX_LENGTH);
    if (driver == CgroupDriver.SYSTEMD) {
      return forSystemdUnit(cgroupParent, leaf + ".scope");
    }
    return new PodCgroupName(join(cgroupfsParent(cgroupParent), leaf), driver);
  }

  /**
   * Returns the cgroup systemd gives the unit {@code unitName} in the slice of
   * {@code cgroupParent}, for a launcher that names its unit itself (for example a transient
   * {@code rktlet-pod-<id>.service}).
   */
  public static PodCgroupName forSystemdUnit(String cgroupParent, String unitName) {
    if (!UNIT_NAME.matcher(unitName).matches()) {
      throw new IllegalArgumentException("invalid systemd unit name " + unitName);
    }
    return new PodCgroupName(join(slicePath(sliceOf(cgroupParent)), unitName),
        CgroupDriver.SYSTEMD);
  }

  /** Returns the cgroup path of a slice, each dash-separated prefix being a parent slice. */
  static String slicePath(String slice) {
    if (slice.equals(ROOT_SLICE)) {
      return "";
    }
    String stem = slice.substring(0, slice.length() - ".slice".length());
    if (stem.isEmpty() || stem.startsWith("-") || stem.endsWith("-") || stem.contains("--")) {
      throw Check.invalid(FIELD, slice, "not a valid systemd slice name");
    }
    List<String> levels = new ArrayList<>();
    int dash = stem.indexOf('-');
    while (dash >= 0) {
      levels.add(stem.substring(0, dash) + ".slice");
      dash = stem.indexOf('-', dash + 1);
    }
    levels.add(slice);
    return String.join("/", levels);
  }

  private static String sliceOf(String cgroupParent) {
    if (cgroupParent.isEmpty()) {
      return DEFAULT_SLICE;
    }
    if (!cgroupParent.startsWith("/")) {
      if (!SLICE_NAME.matcher(cgroupParent).matches()) {
        throw Check.invalid(FIELD, cgroupParent,
            "expected a systemd slice such as kubepods-burstable-pod123.slice");
      }
      return cgroupParent;
    }
    List<String> components = components(cgroupParent);
    if (components.isEmpty()) {
      return DEFAULT_SLICE;
    }
    List<String> escaped = new ArrayList<>();
    for (String component : components) {
      escaped.add(component.replace('-', '_'));
    }
    return String.join("-", escaped) + ".slice";
  }

  private static String cgroupfsParent(String cgroupParent) {
    if (!cgroupParent.isEmpty() && !cgroupParent.startsWith("/")) {
      String hint = cgroupParent.endsWith(".slice")
          ? "; configure rktlet's systemd driver for slice names" : "";
      throw Check.invalid(FIELD, cgroupParent, "the cgroupfs driver expects an absolute path "
          + "such as /kubepods/burstable/pod123" + hint);
    }
    return String.join("/", components(cgroupParent));
  }

  private static List<String> components(String path) {
    List<String> components = new ArrayList<>();
    for (String component : path.split("/")) {
      if (component.isEmpty()) {
        continue;
      }
      if (component.equals(".") || component.equals("..")
          || !PATH_COMPONENT.matcher(component).matches()) {
        throw Check.invalid(FIELD, path, "component " + Check.quote(component)
            + " is not a plain cgroup name");
      }
      components.add(component);
    }
    return components;
  }

  private static String join(String parent, String leaf) {
    return parent.isEmpty() ? leaf : parent + "/" + leaf;
  }
}
