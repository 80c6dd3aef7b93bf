package io.rktlet.cgroups;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cgroup hierarchies mounted under a root directory (normally {@code /sys/fs/cgroup}).
 *
 * <ul>
 *   <li>{@link Version#V2}: the root is the cgroup2 file system; it has
 *       {@code cgroup.controllers}.
 *   <li>{@link Version#HYBRID}: v1 hierarchies plus a cgroup2 file system at {@code unified},
 *       which systemd uses to track processes and which has no controllers.
 *   <li>{@link Version#V1}: only v1 hierarchies, one directory per mount, named after its
 *       controllers ({@code cpu,cpuacct}); symbolic links such as {@code cpu} point at
 *       combined ones. {@code systemd} is the named hierarchy {@code name=systemd}.
 * </ul>
 *
 * <p>A v1 controller whose hierarchy is not mounted is simply absent.
 */
public final class CgroupLayout {
  /** Mount layout of the cgroup file systems. */
  public enum Version {
    V1,
    HYBRID,
    V2
  }

  /** The named v1 hierarchy that systemd uses for process tracking. */
  public static final String SYSTEMD_HIERARCHY = "systemd";

  static final String UNIFIED = "unified";
  static final String CONTROLLERS_FILE = "cgroup.controllers";
  static final String PROCS_FILE = "cgroup.procs";

  private final Path root;
  private final Version version;
  private final Map<String, Path> v1Hierarchies;
  private final Path unified;
  private final Set<String> v2Controllers;

  private CgroupLayout(Path root, Version version, Map<String, Path> v1Hierarchies,
      Path unified, Set<String> v2Controllers) {
    this.root = root;
    this.version = version;
    this.v1Hierarchies = Collections.unmodifiableMap(new TreeMap<>(v1Hierarchies));
    this.unified = unified;
    this.v2Controllers = Collections.unmodifiableSet(new LinkedHashSet<>(v2Controllers));
  }

  /**
   * Detects the layout under {@code root}.
   *
   * @throws IOException when the root cannot be read or contains no cgroup hierarchy
   */
  public static CgroupLayout detect(Path root) throws IOException {
    if (Files.isRegularFile(root.resolve(CONTROLLERS_FILE))) {
      return new CgroupLayout(root, Version.V2, Map.of(), root,
          words(root.resolve(CONTROLLERS_FILE)));
    }
    Map<String, Path> hierarchies = new TreeMap<>();
    List<Path> links = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        if (Files.isSymbolicLink(entry)) {
          links.add(entry);
        } else if (isV1Hierarchy(entry)) {
          addControllers(hierarchies, entry, entry);
        }
      }
    }
    // A link such as cpu -> cpu,cpuacct only names a hierarchy that is already listed.
    for (Path link : links) {
      if (isV1Hierarchy(link)) {
        addControllers(hierarchies, link,
            link.getParent().resolve(Files.readSymbolicLink(link)).normalize());
      }
    }
    Path unifiedDir = root.resolve(UNIFIED);
    boolean hybrid = Files.isRegularFile(unifiedDir.resolve(CONTROLLERS_FILE));
    if (hierarchies.isEmpty()) {
      throw new IOException("no cgroup hierarchy found under " + root
          + ": expected cgroup.controllers (cgroup v2) or v1 controller directories");
    }
    return new CgroupLayout(root, hybrid ? Version.HYBRID : Version.V1, hierarchies,
        hybrid ? unifiedDir : null, hybrid ? words(unifiedDir.resolve(CONTROLLERS_FILE))
            : Set.of());
  }

  private static boolean isV1Hierarchy(Path entry) {
    String name = entry.getFileName().toString();
    return !name.equals(UNIFIED) && Files.isDirectory(entry)
        && Files.isRegularFile(entry.resolve(PROCS_FILE));
  }

  private static void addControllers(Map<String, Path> hierarchies, Path entry, Path target) {
    for (String controller : entry.getFileName().toString().split(",")) {
      if (!controller.isEmpty()) {
        hierarchies.putIfAbsent(controller, target);
      }
    }
  }

  static Set<String> words(Path file) throws IOException {
    Set<String> words = new LinkedHashSet<>();
    for (String word : Files.readString(file).strip().split("\\s+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  public Path root() {
    return root;
  }

  public Version version() {
    return version;
  }

  /** Returns the v1 hierarchy of {@code controller} (or of {@code systemd}). */
  public Optional<Path> v1Hierarchy(String controller) {
    return Optional.ofNullable(v1Hierarchies.get(controller));
  }

  /** Returns every v1 controller name and its hierarchy, by name; empty on cgroup v2. */
  public Map<String, Path> v1Hierarchies() {
    return v1Hierarchies;
  }

  /** Returns the cgroup2 root: the root itself on v2, {@code unified} on hybrid hosts. */
  public Optional<Path> unified() {
    return Optional.ofNullable(unified);
  }

  /** Returns the controllers listed in the cgroup2 root's {@code cgroup.controllers}. */
  public Set<String> v2Controllers() {
    return v2Controllers;
  }

  /**
   * Returns the directories of the v1 hierarchies that carry resource controllers, each once
   * (a combined {@code cpu,cpuacct} hierarchy counts once), without {@code systemd}.
   */
  public List<Path> v1ResourceHierarchies() {
    Set<Path> unique = new LinkedHashSet<>();
    for (Map.Entry<String, Path> entry : v1Hierarchies.entrySet()) {
      if (!entry.getKey().equals(SYSTEMD_HIERARCHY)) {
        unique.add(entry.getValue().normalize());
      }
    }
    return List.copyOf(unique);
  }
}
