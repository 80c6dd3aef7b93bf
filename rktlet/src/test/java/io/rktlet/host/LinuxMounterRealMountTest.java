package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rktlet.host.Mounter.Propagation;
import io.rktlet.process.DefaultProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Makes real mounts in a temporary directory. Needs root with CAP_SYS_ADMIN and util-linux
 * mount, and skips itself otherwise. A directory {@code pod} bound from the shared
 * {@code data} directory is the test's pod mount namespace: a mount made below
 * {@code data} appears below {@code pod} as it would in the pod. Every mount below the
 * temporary directory is removed after each test.
 */
class LinuxMounterRealMountTest {
  /** How the stand-in for the pod's mount namespace receives mounts from {@code data}. */
  enum PodView {
    PEER,
    SLAVE
  }

  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final String READ_ONLY_REASON = "Read-only file system";

  @TempDir Path tempDir;
  private Path root;
  private Path source;
  private Path data;
  private Path podView;
  private Path stagingRoot;
  private LinuxMounter mounter;

  @BeforeEach
  void requireMountPrivileges() throws Exception {
    root = tempDir.toRealPath();
    assumeTrue(isRoot(), "skipped: bind mounts need root (uid 0)");
    assumeTrue(canBindMount(), "skipped: mount --bind failed in " + root
        + " (util-linux mount missing, or no CAP_SYS_ADMIN)");
    source = Files.createDirectories(root.resolve("host/volume"));
    Files.writeString(source.resolve("hello"), "from host\n");
    data = Files.createDirectories(root.resolve("data"));
    podView = Files.createDirectories(root.resolve("pod"));
    stagingRoot = root.resolve("state/mount-staging");
    mounter = new LinuxMounter(new DefaultProcessRunner(), stagingRoot);
  }

  /** Unmounts everything below the temporary directory, then checks that nothing is left. */
  @AfterEach
  void unmountEverything() throws Exception {
    if (root == null) {
      return;
    }
    // Unmounting a shared mount also removes its peers' copies, so a listed mount point may
    // be gone by the time its turn comes. Failures are ignored and the table is read again.
    for (int round = 0; round < 10 && !mountPointsUnder(root).isEmpty(); round++) {
      for (Path mountPoint : mountPointsUnder(root)) {
        if (mountAt(mountPoint).isPresent()) {
          runQuietly("umount", "-l", mountPoint.toString());
        }
      }
    }
    assertThat(mountPointsUnder(root)).as("mounts left below " + root).isEmpty();
  }

  @Test
  void writableBindSharesContent() throws IOException {
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, false, Propagation.PRIVATE);

    assertThat(Files.readString(target.resolve("hello"))).isEqualTo("from host\n");
    Files.writeString(target.resolve("written"), "from container\n");
    assertThat(Files.readString(source.resolve("written"))).isEqualTo("from container\n");
    assertThat(mountAt(target)).isPresent();
    assertThat(mountAt(target).get().isReadOnly()).isFalse();
    assertStagingEmpty();
  }

  @Test
  void readOnlyBindRejectsWrite() throws IOException {
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, true, Propagation.PRIVATE);

    assertThat(Files.readString(target.resolve("hello"))).isEqualTo("from host\n");
    assertThatThrownBy(() -> Files.writeString(target.resolve("new"), "x"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(READ_ONLY_REASON);
    assertThat(mountAt(target).get().isReadOnly()).isTrue();
    Files.writeString(source.resolve("still-writable"), "yes");
    assertThat(target.resolve("still-writable")).exists();
    assertStagingEmpty();
  }

  @Test
  void readOnlyBindCoversSubmounts() throws Exception {
    Files.createDirectories(source.resolve("sub"));
    run("mount", "-t", "tmpfs", "-o", "size=1m,nodev", "tmpfs", source.resolve("sub").toString());
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, true, Propagation.PRIVATE);

    assertThatThrownBy(() -> Files.writeString(target.resolve("sub/new"), "x"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(READ_ONLY_REASON);
    assertThat(mountAt(target.resolve("sub")).get().mountOptions()).contains("ro", "nodev");
    Files.writeString(source.resolve("sub/host-side"), "still writable");
    assertThat(target.resolve("sub/host-side")).exists();
  }

  @Test
  void readOnlyFileBindRejectsWrite() throws IOException {
    Path sourceFile = Files.writeString(root.resolve("host/resolv.conf"), "nameserver 10.0.0.1\n");
    Path target = Files.createDirectories(data.resolve("app/rootfs/etc")).resolve("resolv.conf");
    RootfsPaths.ensureTarget(target, false);

    mounter.bind(sourceFile, target, true, Propagation.PRIVATE);

    assertThat(Files.readString(target)).isEqualTo("nameserver 10.0.0.1\n");
    assertThatThrownBy(() -> Files.writeString(target, "nameserver 8.8.8.8\n"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(READ_ONLY_REASON);
    assertStagingEmpty();
  }

  @ParameterizedTest
  @EnumSource(PodView.class)
  void readOnlyBindReachesPodView(PodView kind) throws Exception {
    makeDataSharedWithPodView(kind);
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, true, Propagation.PRIVATE);

    Path inPod = podView.resolve("app/rootfs/volume");
    assertThat(Files.readString(inPod.resolve("hello"))).isEqualTo("from host\n");
    assertThatThrownBy(() -> Files.writeString(inPod.resolve("new"), "x"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(READ_ONLY_REASON);
  }

  @ParameterizedTest
  @EnumSource(PodView.class)
  void privateBindStopsLaterHostMounts(PodView kind) throws Exception {
    makeSourceShared();
    makeDataSharedWithPodView(kind);
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, false, Propagation.PRIVATE);
    mountTmpfsWithMarker(source.resolve("later"));

    assertThat(target.resolve("later/marker")).doesNotExist();
    assertThat(podView.resolve("app/rootfs/volume/later/marker")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(PodView.class)
  void hostToContainerReceivesLaterHostMounts(PodView kind) throws Exception {
    makeSourceShared();
    makeDataSharedWithPodView(kind);
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, false, Propagation.HOST_TO_CONTAINER);
    mountTmpfsWithMarker(source.resolve("later"));

    assertThat(podView.resolve("app/rootfs/volume/later/marker")).exists();
    assertThat(target.resolve("later/marker")).exists();
    assertThat(mountAt(target).get().isSlave()).isTrue();
  }

  @Test
  void bidirectionalSendsPodMountsToHost() throws Exception {
    makeSourceShared();
    makeDataSharedWithPodView(PodView.PEER);
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));

    mounter.bind(source, target, false, Propagation.BIDIRECTIONAL);
    // Only a peer pod view can send mounts back: from a slave view nothing reaches the host.
    mountTmpfsWithMarker(podView.resolve("app/rootfs/volume/from-pod"));

    assertThat(source.resolve("from-pod/marker")).exists();
    assertThat(mountAt(target).get().isShared()).isTrue();
  }

  @Test
  void ensureSharedMountOnPlainDirectory() throws IOException {
    assertThat(mountAt(data)).isEmpty();

    assertThat(mounter.ensureSharedMount(data)).isTrue();

    assertThat(mountAt(data)).hasValueSatisfying(
        mount -> assertThat(mount.isShared()).isTrue());
    assertThat(mounter.ensureSharedMount(data)).isFalse();
  }

  @Test
  void unmountIsIdempotent() throws IOException {
    Path target = Files.createDirectories(data.resolve("app/rootfs/volume"));
    mounter.bind(source, target, false, Propagation.PRIVATE);

    mounter.unmount(target);
    mounter.unmount(target);

    assertThat(mountAt(target)).isEmpty();
    assertThat(target.resolve("hello")).doesNotExist();
    assertThat(source.resolve("hello")).exists();
  }

  @Test
  void mountsUnderListsDeepestFirst() throws IOException {
    mounter.ensureSharedMount(data);
    Path outer = Files.createDirectories(data.resolve("app/rootfs/volume"));
    mounter.bind(source, outer, false, Propagation.PRIVATE);
    Path inner = Files.createDirectories(data.resolve("app/rootfs/etc"));
    mounter.bind(source, inner, true, Propagation.PRIVATE);

    List<Path> mounts = mounter.mountsUnder(data);

    assertThat(mounts).hasSize(3);
    assertThat(mounts.get(2)).isEqualTo(data);
    assertThat(mounts.subList(0, 2)).containsExactlyInAnyOrder(outer, inner);
  }

  /**
   * Makes {@code data} shared and binds it onto {@code pod}, as a peer of {@code data} or as
   * a slave of it. systemd-nspawn, which runs rkt pods, makes the host's mounts slaves in a pod.
   */
  private void makeDataSharedWithPodView(PodView kind) throws Exception {
    mounter.ensureSharedMount(data);
    run("mount", "--bind", data.toString(), podView.toString());
    if (kind == PodView.SLAVE) {
      run("mount", "--make-rslave", podView.toString());
      assertThat(mountAt(podView).get().masterGroup())
          .isEqualTo(mountAt(data).get().sharedGroup());
    } else {
      assertThat(mountAt(podView).get().sharedGroup())
          .isEqualTo(mountAt(data).get().sharedGroup());
    }
  }

  private void makeSourceShared() throws Exception {
    run("mount", "--bind", source.toString(), source.toString());
    run("mount", "--make-shared", source.toString());
  }

  private void mountTmpfsWithMarker(Path mountPoint) throws Exception {
    Files.createDirectories(mountPoint);
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.toString());
    Files.writeString(mountPoint.resolve("marker"), "tmpfs\n");
  }

  private void assertStagingEmpty() throws IOException {
    try (var entries = Files.list(stagingRoot)) {
      assertThat(entries).isEmpty();
    }
    assertThat(mountPointsUnder(stagingRoot)).containsExactly(stagingRoot);
  }

  private static Optional<MountInfo> mountAt(Path path) throws IOException {
    return new MountTable(MOUNTINFO).mountAt(path);
  }

  private static List<Path> mountPointsUnder(Path directory) throws IOException {
    List<Path> mountPoints = new ArrayList<>();
    for (MountInfo mount : new MountTable(MOUNTINFO).mountsUnder(directory)) {
      mountPoints.add(mount.mountPoint());
    }
    return mountPoints;
  }

  private static boolean isRoot() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[1].equals("0");
      }
    }
    return false;
  }

  private boolean canBindMount() throws Exception {
    Path probe = Files.createDirectories(root.resolve("probe"));
    if (runQuietly("mount", "--bind", probe.toString(), probe.toString()) != 0) {
      return false;
    }
    run("umount", probe.toString());
    Files.delete(probe);
    return true;
  }

  private static void run(String... argv) throws Exception {
    int exitCode = runQuietly(argv);
    if (exitCode != 0) {
      throw new AssertionError(String.join(" ", argv) + " exited with " + exitCode);
    }
  }

  private static int runQuietly(String... argv) throws Exception {
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    if (process.exitValue() != 0) {
      System.err.println(String.join(" ", argv) + ": " + new String(output, StandardCharsets.UTF_8));
    }
    return process.exitValue();
  }
}
