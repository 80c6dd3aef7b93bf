package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * readonly_rootfs=1: the container's process sees its / read-only in a mount namespace of its
 * own. In these tests the supervisor is a host process, so the container's / is the host's /,
 * which must stay writable for everyone else; every test checks that afterwards.
 */
class ReadonlyRootfsTest extends SupervisorTestSupport {

  /** Per-mount and superblock options of one line of /proc/self/mountinfo. */
  record MountOptions(List<String> mount, List<String> superblock) {
    boolean writable() {
      return mount.contains("rw") && superblock.contains("rw");
    }
  }

  /** A file directly in /, which the container's process tries to create. */
  final Path probe = Path.of("/rktlet-ro-test-" + UUID.randomUUID());
  Path tmpfs;
  boolean tmpfsMounted;

  @BeforeEach
  void requireRootAndWritableRoot() {
    assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
        "read-only root tests create mount namespaces and need root");
    MountOptions root = rootMountOptions();
    assumeTrue(root.writable(), "the host's / is read-only before the test: " + root);
  }

  /**
   * Fails the test when the host's / is no longer writable. The check before the test found
   * it writable, so this test made it read-only, and / is remounted read-write.
   */
  @AfterEach
  void checkHostRootStaysWritable() throws IOException {
    processes.close();
    Files.deleteIfExists(probe);
    if (tmpfsMounted) {
      Processes.runQuietly("umount", tmpfs.toString());
    }
    MountOptions root = rootMountOptions();
    if (root.writable()) {
      return;
    }
    if (!root.mount().contains("rw")) {
      Processes.runQuietly("mount", "-o", "remount,bind,rw", "/");
    }
    if (!root.superblock().contains("rw")) {
      Processes.runQuietly("mount", "-o", "remount,rw", "/");
    }
    throw new AssertionError("THE HOST'S / BECAME READ-ONLY during this test (" + root
        + "); the test remounted it read-write, now " + rootMountOptions());
  }

  /** Returns the options of the mount on / in this JVM's mount namespace (the top one if stacked). */
  static MountOptions rootMountOptions() {
    try {
      MountOptions found = null;
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), UTF_8)) {
        MountOptions options = parseMountLine(line, "/");
        found = options != null ? options : found;
      }
      assertThat(found).as("a mount on / in /proc/self/mountinfo").isNotNull();
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a mountinfo line and returns its options when it is mounted on mountPoint, else null. */
  static MountOptions parseMountLine(String line, String mountPoint) {
    String[] fields = line.split(" ");
    int separator = Arrays.asList(fields).indexOf("-");
    if (fields.length < 6 || !fields[4].equals(mountPoint) || separator < 0
        || separator + 3 >= fields.length) {
      return null;
    }
    return new MountOptions(List.of(fields[5].split(",")), List.of(fields[separator + 3].split(",")));
  }

  /** Creates and removes a file in / from this JVM, which is outside the container's namespace. */
  static void assertHostRootWritable() throws IOException {
    assertThat(rootMountOptions().writable()).as("host / is mounted read-write").isTrue();
    Path check = Path.of("/rktlet-ro-host-check-" + UUID.randomUUID());
    Files.writeString(check, "writable\n", UTF_8);
    assertThat(check).hasContent("writable");
    Files.delete(check);
  }

  /** Mounts a small tmpfs, a separate mount that must stay writable inside the container. */
  Path mountTmpfs() throws IOException {
    tmpfs = Files.createDirectories(tempDir.resolve("tmpfs"));
    Processes.runQuietly("mount", "-t", "tmpfs", "-o", "size=1m", "rktlet-ro-test", tmpfs.toString());
    tmpfsMounted = true;
    return tmpfs;
  }

  /** Returns a script that tries both writes and prints the results, its / mount and CapBnd. */
  String writeProbeScript(Path writableDir) {
    return "touch " + probe + "; echo root-write=$?; "
        + "echo data > " + writableDir + "/written && echo tmpfs-write=ok; "
        + "grep ' / / ' /proc/self/mountinfo; grep CapBnd /proc/self/status";
  }

  @Test
  void childSeesReadOnlyRootOnly() throws IOException {
    Path writable = mountTmpfs();
    container.spec("readonly_rootfs", "1").shell(writeProbeScript(writable));

    int exitCode = runSupervisor();

    List<LogRecord> records = container.logRecords();
    List<String> stdout = LogRecord.lines(records, "stdout");
    assertThat(exitCode).as("exit code; status %s", container.status()).isZero();
    assertThat(stdout).contains("root-write=1", "tmpfs-write=ok", "CapBnd:\t0000000000000000");
    assertThat(LogRecord.lines(records, "stderr")).singleElement().asString()
        .contains("Read-only file system");
    assertThat(parseMountLine(stdout.get(2), "/").mount()).contains("ro");
    assertThat(probe).doesNotExist();
    assertThat(writable.resolve("written")).hasContent("data");
    assertHostRootWritable();
  }

  @Test
  void readonlyOffKeepsRootWritable() throws IOException {
    container.spec("readonly_rootfs", "0").shell("touch " + probe + "; echo root-write=$?");

    int exitCode = runSupervisor();

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("root-write=0");
    assertThat(probe).exists();
  }

  /** Runs {@code supervisor exec --no-cgroup-wait ARGS... -- sh -c SCRIPT} to its end. */
  Processes.Result exec(String script, String... options) {
    container.writeSpec();
    List<String> command = new ArrayList<>(List.of(container.supervisor().toString(), "exec",
        "--no-cgroup-wait"));
    command.addAll(List.of(options));
    command.addAll(List.of("--", "sh", "-c", script));
    return processes.run(command, SUPERVISOR_ENVIRONMENT, null, tempDir);
  }

  @Test
  void execCommandSeesReadOnlyRoot() throws IOException {
    Path writable = mountTmpfs();
    container.spec("readonly_rootfs", "1");

    Processes.Result result = exec(writeProbeScript(writable));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("root-write=1\n", "tmpfs-write=ok\n");
    assertThat(result.stderr()).contains("Read-only file system");
    assertThat(probe).doesNotExist();
    assertThat(writable.resolve("written")).hasContent("data");
    assertHostRootWritable();
  }

  @Test
  void execTtyCommandSeesReadOnlyRoot() throws IOException {
    container.spec("readonly_rootfs", "1");

    Processes.Result result = exec("touch " + probe + " 2>/dev/null; echo root-write=$?", "--tty");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("root-write=1\r\n");
    assertThat(probe).doesNotExist();
    assertHostRootWritable();
  }

  @Test
  void missingSysAdminFailsStart() throws IOException {
    container.spec("readonly_rootfs", "1").shell("touch " + probe);
    container.writeSpec();
    Process supervisor = processes.start(
        List.of("setpriv", "--bounding-set=-sys_admin", "--", container.supervisor().toString(), "run"),
        SUPERVISOR_ENVIRONMENT, null, tempDir.resolve("supervisor.stdout"),
        tempDir.resolve("supervisor.stderr"));

    int exitCode = Processes.waitFor(supervisor);

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status()).containsEntry("state", "failed").containsEntry("exit_code", "128")
        .containsEntry("error", "cannot make / read-only: unshare(CLONE_NEWNS) failed: "
            + "Operation not permitted");
    assertThat(probe).doesNotExist();
    assertHostRootWritable();
  }

  @Test
  void execWithoutSysAdminExits125() throws IOException {
    container.spec("readonly_rootfs", "1");
    container.writeSpec();

    Processes.Result result = processes.run(List.of("setpriv", "--bounding-set=-sys_admin", "--",
            container.supervisor().toString(), "exec", "--no-cgroup-wait", "--", "touch", probe.toString()),
        SUPERVISOR_ENVIRONMENT, null, tempDir);

    assertThat(result.exitCode()).isEqualTo(125);
    assertThat(result.stderr()).isEqualTo("supervisor: cannot make / read-only: "
        + "unshare(CLONE_NEWNS) failed: Operation not permitted\n");
    assertThat(probe).doesNotExist();
  }

  /**
   * A mount namespace of a new user namespace, as a user-namespaced pod would have, locks the
   * nosuid and nodev flags of its copied mounts: the remount must repeat them or it fails with
   * EPERM. The outer namespace sets those flags on its own copy of /, never on the host's.
   */
  @Test
  void lockedRootFlagsAreKept() throws IOException {
    container.spec("readonly_rootfs", "1")
        .shell("grep ' / / ' /proc/self/mountinfo; touch " + probe + " 2>/dev/null; echo root-write=$?");
    container.writeSpec();
    String setup = "mount -o remount,bind,nosuid,nodev / && "
        + "exec unshare --user --mount -- sh -c 'read go && exec \"$1\" run' sh \"$1\"";
    Process supervisor = processes.startPiped(List.of("unshare", "--mount", "--propagation", "private",
            "--", "sh", "-c", setup, "sh", container.supervisor().toString()),
        SUPERVISOR_ENVIRONMENT, tempDir.resolve("supervisor.stderr"));
    Path userNamespace = Path.of("/proc/" + supervisor.pid() + "/ns/user");
    Path ownUserNamespace = Path.of("/proc/self/ns/user");
    assertThat(eventually(() -> !readLink(userNamespace).equals(readLink(ownUserNamespace))))
        .as("the supervisor's process enters a new user namespace").isTrue();

    // Identity mappings, so root stays root and the container directory keeps its owner.
    Files.writeString(Path.of("/proc/" + supervisor.pid() + "/uid_map"), "0 0 65536\n", UTF_8);
    Files.writeString(Path.of("/proc/" + supervisor.pid() + "/gid_map"), "0 0 65536\n", UTF_8);
    try (OutputStream stdin = supervisor.getOutputStream()) {
      stdin.write("go\n".getBytes(UTF_8));
    }
    int exitCode = Processes.waitFor(supervisor);

    List<String> stdout = LogRecord.lines(container.logRecords(), "stdout");
    assertThat(exitCode).as("exit code; status %s, stderr %s", container.status(), supervisorStderr())
        .isZero();
    assertThat(stdout).hasSize(2);
    assertThat(parseMountLine(stdout.get(0), "/").mount()).contains("ro", "nosuid", "nodev");
    assertThat(stdout.get(1)).isEqualTo("root-write=1");
    assertThat(probe).doesNotExist();
    assertHostRootWritable();
  }

  static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "";
    }
  }
}
