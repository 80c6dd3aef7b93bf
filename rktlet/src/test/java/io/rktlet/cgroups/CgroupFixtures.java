package io.rktlet.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fixture cgroup trees under {@code src/test/resources/cgroup-fixtures}: {@code v1} (every
 * controller, cpu and cpuacct combined), {@code hybrid} (like the host of rkt's recorded runs:
 * no cpuset or hugetlb hierarchy, no swap accounting, a controller-less {@code unified}), and
 * {@code v2}. Each has the pod cgroup {@link #POD} below every resource hierarchy.
 */
public final class CgroupFixtures {
  /** The fixture pod's cgroup below each hierarchy root. */
  public static final String POD =
      "kubepods/burstable/pod0c8a52d4-3b11-4d43-9a2a-6d9d3f0d1e21/rktlet-0123456789abcdef";

  /** A v2 pod cgroup with only the cpu and memory controllers and no memory limit. */
  public static final String SPARSE_V2_POD =
      "kubepods/burstable/pod0c8a52d4-3b11-4d43-9a2a-6d9d3f0d1e21/rktlet-fedcba9876543210";

  /** The cgroup2 directory of app m1 in the hybrid fixture, as rkt's systemd names it. */
  public static final String HYBRID_APP = "unified/machine-rkt\\x2dfac2eb0d\\x2d84f0\\x2d46d6"
      + "\\x2db92e\\x2d6d4a27d1f4c8.scope/payload/system.slice/m1.service";

  private CgroupFixtures() {}

  /** Returns the read-only fixture tree {@code name} in the test classpath. */
  public static Path path(String name) {
    try {
      return Path.of(CgroupFixtures.class.getResource("/cgroup-fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the fixture tree {@code name} into {@code target} and returns the copy's root. */
  public static Path copy(String name, Path target) throws IOException {
    Path source = path(name);
    Path root = target.resolve(name);
    List<Path> paths;
    try (Stream<Path> tree = Files.walk(source)) {
      paths = tree.toList();
    }
    for (Path path : paths) {
      Path copy = root.resolve(source.relativize(path).toString());
      try {
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }
}
