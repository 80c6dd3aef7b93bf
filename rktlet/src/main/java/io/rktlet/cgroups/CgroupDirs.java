package io.rktlet.cgroups;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The directories of one cgroup (a pod's or an app's): one per v1 controller, or one cgroup2
 * directory. Files are read and written through these.
 *
 * @param v1 v1 controller name to the cgroup's directory in that controller's hierarchy;
 *     empty when the cgroup uses cgroup v2
 * @param v2 the cgroup's cgroup2 directory, or null when it uses v1 controllers
 */
public record CgroupDirs(Map<String, Path> v1, Path v2) {
  public CgroupDirs {
    v1 = Map.copyOf(new TreeMap<>(v1));
    if (v1.isEmpty() == (v2 == null)) {
      throw new IllegalArgumentException("a cgroup has either v1 directories or a v2 one");
    }
  }

  /** Returns a cgroup2 cgroup. */
  public static CgroupDirs v2(Path directory) {
    return new CgroupDirs(Map.of(), directory);
  }

  /** Returns a cgroup with the given v1 controller directories. */
  public static CgroupDirs v1(Map<String, Path> directories) {
    return new CgroupDirs(directories, null);
  }

  public boolean isV2() {
    return v2 != null;
  }

  /** Returns the directory of a v1 controller, or empty when it is not available. */
  public Optional<Path> controller(String name) {
    return Optional.ofNullable(v1.get(name));
  }
}
