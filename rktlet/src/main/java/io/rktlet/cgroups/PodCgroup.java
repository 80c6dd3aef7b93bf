package io.rktlet.cgroups;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's cgroup in every hierarchy that limits or accounts for resources: each v1 resource
 * hierarchy, or the single cgroup2 tree. systemd's named v1 hierarchy and the controller-less
 * cgroup2 tree of a hybrid host are left out, because rkt puts the pod's machine scope there
 * itself.
 *
 * <p>With the cgroupfs driver rktlet creates the directories before it launches
 * {@code rkt app sandbox}, and the launcher writes its own PID into every file of
 * {@link #procsFiles()} before it execs rkt, so the whole pod inherits the cgroup. With the
 * systemd driver systemd creates them when the pod's unit starts and moves the unit's process
 * itself; only reading and {@link ResourceWriter} apply there.
 */
public final class PodCgroup {
  private static final Logger log = LoggerFactory.getLogger(PodCgroup.class);

  /** Controllers a pod needs in cgroup v2, enabled in each ancestor when available. */
  static final Set<String> V2_CONTROLLERS = Set.of("cpu", "cpuset", "io", "memory", "pids",
      "hugetlb");

  private final CgroupLayout layout;
  private final PodCgroupName name;

  public PodCgroup(CgroupLayout layout, PodCgroupName name) {
    this.layout = layout;
    this.name = name;
  }

  public PodCgroupName name() {
    return name;
  }

  /** Returns the pod cgroup's directories, one per hierarchy, as {@link CgroupDirs}. */
  public CgroupDirs dirs() {
    if (layout.version() == CgroupLayout.Version.V2) {
      return CgroupDirs.v2(layout.root().resolve(name.relativePath()));
    }
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (Map.Entry<String, Path> hierarchy : layout.v1Hierarchies().entrySet()) {
      if (!hierarchy.getKey().equals(CgroupLayout.SYSTEMD_HIERARCHY)) {
        dirs.put(hierarchy.getKey(), hierarchy.getValue().resolve(name.relativePath()));
      }
    }
    return CgroupDirs.v1(dirs);
  }

  /** Returns each distinct directory of the pod's cgroup, in hierarchy name order. */
  public List<Path> directories() {
    if (layout.version() == CgroupLayout.Version.V2) {
      return List.of(layout.root().resolve(name.relativePath()));
    }
    List<Path> directories = new ArrayList<>();
    for (Path hierarchy : layout.v1ResourceHierarchies()) {
      directories.add(hierarchy.resolve(name.relativePath()));
    }
    return directories;
  }

  /** Returns the {@code cgroup.procs} files a launcher writes its PID into. */
  public List<Path> procsFiles() {
    return directories().stream().map(dir -> dir.resolve(CgroupLayout.PROCS_FILE)).toList();
  }

  /**
   * Creates the directories (cgroupfs driver), with their missing parents. On cgroup v2 it first
   * enables the pod's controllers ({@link #V2_CONTROLLERS}, where the root offers them) in
   * {@code cgroup.subtree_control} of each ancestor, so the pod's directory gets their files.
   * In a v1 cpuset hierarchy every new directory gets its parent's {@code cpuset.cpus} and
   * {@code cpuset.mems}, without which the kernel refuses to add a process.
   *
   * @return the directories that did not exist before
   * @throws IOException when a directory or control file cannot be written
   */
  public List<Path> create() throws IOException {
    requireCgroupfs("create");
    List<Path> created = new ArrayList<>();
    if (layout.version() == CgroupLayout.Version.V2) {
      createV2(created);
    } else {
      for (Path directory : directories()) {
        Path hierarchy = hierarchyOf(directory);
        boolean cpuset = layout.v1Hierarchy("cpuset").map(hierarchy::equals).orElse(false);
        createV1(hierarchy, directory, cpuset, created);
      }
    }
    log.info("Created pod cgroup {} ({} new directories)", name.relativePath(), created.size());
    return created;
  }

  /**
   * Removes the directories (cgroupfs driver), child cgroups first, such as the ones
   * systemd-nspawn and the pod's systemd leave below. Directories that do not exist are
   * skipped. Control files are never deleted: the kernel removes them with their directory.
   *
   * @throws IOException naming every directory that could not be removed, for example because
   *     processes are still in it
   */
  public void remove() throws IOException {
    requireCgroupfs("remove");
    List<String> failures = new ArrayList<>();
    for (Path directory : directories()) {
      removeTree(directory, failures);
    }
    if (!failures.isEmpty()) {
      throw new IOException("failed to remove pod cgroup " + name.relativePath() + ": "
          + String.join("; ", failures));
    }
    log.info("Removed pod cgroup {}", name.relativePath());
  }

  private void createV2(List<Path> created) throws IOException {
    Path level = layout.root();
    for (Path component : Path.of(name.relativePath())) {
      enableV2Controllers(level);
      level = level.resolve(component);
      if (!Files.isDirectory(level)) {
        Files.createDirectory(level);
        created.add(level);
      }
    }
  }

  /** Enables the pod's controllers for the children of {@code level} where it offers them. */
  private static void enableV2Controllers(Path level) throws IOException {
    Path controllers = level.resolve(CgroupLayout.CONTROLLERS_FILE);
    if (!Files.exists(controllers)) {
      return;
    }
    Path subtree = level.resolve("cgroup.subtree_control");
    Set<String> enabled = Files.exists(subtree) ? CgroupLayout.words(subtree) : Set.of();
    List<String> additions = new ArrayList<>();
    for (String controller : CgroupLayout.words(controllers)) {
      if (V2_CONTROLLERS.contains(controller) && !enabled.contains(controller)) {
        additions.add("+" + controller);
      }
    }
    if (!additions.isEmpty()) {
      Files.writeString(subtree, String.join(" ", additions));
    }
  }

  private static void createV1(Path hierarchy, Path directory, boolean cpuset,
      List<Path> created) throws IOException {
    Path level = hierarchy;
    for (Path component : hierarchy.relativize(directory)) {
      Path parent = level;
      level = level.resolve(component);
      if (Files.isDirectory(level)) {
        continue;
      }
      Files.createDirectory(level);
      created.add(level);
      if (cpuset) {
        copyIfEmpty(parent, level, "cpuset.cpus");
        copyIfEmpty(parent, level, "cpuset.mems");
      }
    }
  }

  private static void copyIfEmpty(Path parent, Path child, String file) throws IOException {
    Path target = child.resolve(file);
    if (Files.exists(target) && !Files.readString(target).isBlank()) {
      return;
    }
    Files.writeString(target, Files.readString(parent.resolve(file)).strip());
  }

  private static void removeTree(Path directory, List<String> failures) {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
        entry -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
      for (Path child : entries) {
        removeTree(child, failures);
      }
      Files.delete(directory);
    } catch (NoSuchFileException e) {
      // Removed meanwhile, which is what this method wants.
    } catch (IOException e) {
      failures.add(directory + ": " + e);
    }
  }

  private Path hierarchyOf(Path directory) {
    Path relative = Path.of(name.relativePath());
    Path hierarchy = directory;
    for (int i = 0; i < relative.getNameCount(); i++) {
      hierarchy = hierarchy.getParent();
    }
    return hierarchy;
  }

  private void requireCgroupfs(String operation) {
    if (name.driver() != PodCgroupName.CgroupDriver.CGROUPFS) {
      throw new IllegalStateException("cannot " + operation + " pod cgroup "
          + name.relativePath() + " directly: with the systemd driver systemd manages it");
    }
  }
}
