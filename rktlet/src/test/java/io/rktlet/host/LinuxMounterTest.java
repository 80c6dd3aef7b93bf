package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import io.rktlet.host.Mounter.Propagation;
import io.rktlet.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the mount and umount commands the mounter runs, against a fake mount table. */
class LinuxMounterTest {
  private static final String ROOT_PRIVATE = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw";

  @TempDir Path tempDir;
  private Path root;
  private Path source;
  private Path target;
  private Path stagingRoot;
  private FakeMountKernel kernel;
  private RecordingProcessRunner runner;
  private LinuxMounter mounter;

  @BeforeEach
  void createLayout() throws IOException {
    root = tempDir.toRealPath();
    source = Files.createDirectories(root.resolve("host/volume"));
    target = Files.createDirectories(root.resolve("data/pods/run/uuid/app/rootfs/volume"));
    stagingRoot = root.resolve("mount-staging");
    kernel = new FakeMountKernel(root.resolve("mountinfo"), ROOT_PRIVATE);
    runner = new RecordingProcessRunner().respondWith(kernel::run);
    mounter = new LinuxMounter(runner, stagingRoot, kernel.mountInfoFile(), Duration.ofSeconds(3));
  }

  @Test
  void bindPrivateStagesThroughPrivatePoint() throws IOException {
    mounter.bind(source, target, false, Propagation.PRIVATE);

    List<List<String>> commands = runner.commands();
    String staging = stagingPoint(commands);
    assertThat(commands).containsExactly(
        List.of("mount", "--bind", stagingRoot.toString(), stagingRoot.toString()),
        List.of("mount", "--make-rprivate", stagingRoot.toString()),
        List.of("mount", "--rbind", source.toString(), staging),
        List.of("mount", "--make-rprivate", staging),
        List.of("mount", "--rbind", staging, target.toString()),
        List.of("mount", "--make-rprivate", target.toString()),
        List.of("umount", "-l", staging));
    assertThat(Path.of(staging)).doesNotExist();
    assertThat(Path.of(staging).getParent()).isEqualTo(stagingRoot);
  }

  @Test
  void bindUsesCommandTimeout() throws IOException {
    mounter.bind(source, target, false, Propagation.PRIVATE);

    assertThat(runner.specs()).allMatch(spec -> spec.timeout().equals(Duration.ofSeconds(3)));
  }

  @Test
  void bindReadOnlyRemountsBeforeBindingTarget() throws IOException {
    kernel.addMount(root.resolve("host"), "rw,nosuid,nodev,relatime", "");

    mounter.bind(source, target, true, Propagation.PRIVATE);

    List<List<String>> commands = runner.commands();
    String staging = stagingPoint(commands);
    List<String> remount = List.of("mount", "-o", "remount,bind,ro,nosuid,nodev", staging);
    List<String> bindTarget = List.of("mount", "--rbind", staging, target.toString());
    assertThat(commands).contains(remount, bindTarget);
    assertThat(commands.indexOf(remount)).isLessThan(commands.indexOf(bindTarget));
  }

  @Test
  void bindReadOnlyRemountsSubmounts() throws IOException {
    Files.createDirectories(source.resolve("sub"));
    kernel.addMount(source.resolve("sub"), "rw,noexec", "");
    // The fake kernel copies no submounts, so the test puts one below the staging point
    // as soon as the source is bound there.
    runner.respondWith(argv -> {
      ProcessResult result = kernel.run(argv);
      if (argv.size() == 4 && argv.get(2).equals(source.toString())) {
        try {
          kernel.addMount(Path.of(argv.get(3)).resolve("sub"), "rw,noexec", "");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return result;
    });

    mounter.bind(source, target, true, Propagation.PRIVATE);

    String staging = stagingPoint(runner.commands());
    assertThat(runner.commands()).contains(
        List.of("mount", "-o", "remount,bind,ro", staging),
        List.of("mount", "-o", "remount,bind,ro,noexec", staging + "/sub"));
  }

  @Test
  void bindFileUsesPlainBind() throws IOException {
    Path sourceFile = Files.writeString(root.resolve("host/resolv.conf"), "nameserver 10.0.0.1\n");
    Path targetFile = Files.writeString(target.resolve("resolv.conf"), "");

    mounter.bind(sourceFile, targetFile, false, Propagation.PRIVATE);

    String staging = stagingPoint(runner.commands());
    assertThat(runner.commands()).contains(
        List.of("mount", "--bind", sourceFile.toString(), staging),
        List.of("mount", "--bind", staging, targetFile.toString()));
    assertThat(runner.commands()).noneMatch(command -> command.contains("--rbind"));
  }

  @Test
  void hostToContainerUsesRslave() throws IOException {
    kernel.addMount(root.resolve("host"), "rw,relatime", "master:3");

    mounter.bind(source, target, false, Propagation.HOST_TO_CONTAINER);

    String staging = stagingPoint(runner.commands());
    assertThat(runner.commands()).contains(
        List.of("mount", "--make-rslave", staging),
        List.of("mount", "--make-rslave", target.toString()));
  }

  @Test
  void hostToContainerRejectsPrivateSource() {
    assertThatThrownBy(() -> mounter.bind(source, target, false, Propagation.HOST_TO_CONTAINER))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("is on mount /, which is not shared or slave")
        .satisfies(e -> assertThat(((CriException) e).code())
            .isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void bidirectionalUsesRshared() throws IOException {
    kernel.addMount(root.resolve("host"), "rw,relatime", "shared:5");

    mounter.bind(source, target, false, Propagation.BIDIRECTIONAL);

    String staging = stagingPoint(runner.commands());
    assertThat(runner.commands()).contains(
        List.of("mount", "--make-rshared", staging),
        List.of("mount", "--make-rshared", target.toString()));
  }

  @Test
  void bidirectionalRejectsSlaveSource() throws IOException {
    kernel.addMount(root.resolve("host"), "rw,relatime", "master:3");

    assertThatThrownBy(() -> mounter.bind(source, target, false, Propagation.BIDIRECTIONAL))
        .isInstanceOf(CriException.class)
        .hasMessageContaining("which is not shared,");
    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void bindRejectsDirectoryOntoFile() throws IOException {
    Path targetFile = Files.writeString(target.resolve("file"), "");

    assertThatThrownBy(() -> mounter.bind(source, targetFile, false, Propagation.PRIVATE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the source is a directory and the target is not");
    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void bindRejectsMissingSource() {
    assertThatThrownBy(() ->
        mounter.bind(root.resolve("missing"), target, false, Propagation.PRIVATE))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("bind source does not exist");
  }

  @Test
  void failedTargetBindRemovesStagingPoint() {
    runner.respondWith(argv -> argv.contains(target.toString())
        ? RecordingProcessRunner.result(argv, 32, "", "mount: " + target + ": mount failed")
        : kernel.run(argv));

    assertThatThrownBy(() -> mounter.bind(source, target, false, Propagation.PRIVATE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("failed with exit code 32")
        .hasMessageContaining("mount failed");
    String staging = stagingPoint(runner.commands());
    assertThat(runner.commands()).endsWith(List.of("umount", "-l", staging));
    assertThat(Path.of(staging)).doesNotExist();
  }

  @Test
  void failedTargetPropagationUnmountsTarget() {
    runner.respondWith(argv -> argv.equals(List.of("mount", "--make-rprivate", target.toString()))
        ? RecordingProcessRunner.result(argv, 1, "", "mount: bad propagation")
        : kernel.run(argv));

    assertThatThrownBy(() -> mounter.bind(source, target, false, Propagation.PRIVATE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad propagation");
    assertThat(runner.commands()).contains(List.of("umount", "-l", target.toString()));
  }

  @Test
  void stagingRootPreparedOnce() throws IOException {
    mounter.bind(source, target, false, Propagation.PRIVATE);
    mounter.bind(source, target, false, Propagation.PRIVATE);

    List<String> bindRoot =
        List.of("mount", "--bind", stagingRoot.toString(), stagingRoot.toString());
    assertThat(runner.commands()).filteredOn(bindRoot::equals).hasSize(1);
  }

  @Test
  void stagingLeftoversRemovedOnFirstUse() throws IOException {
    Path leftover = Files.createDirectories(stagingRoot.resolve("bind-old"));
    Path leftoverFile = Files.writeString(stagingRoot.resolve("bind-old-file"), "");
    kernel.addMount(stagingRoot, "rw,relatime", "");
    kernel.addMount(leftover, "rw,relatime", "");

    mounter.bind(source, target, false, Propagation.PRIVATE);

    assertThat(runner.commands().get(0)).containsExactly("umount", "-l", leftover.toString());
    assertThat(runner.commands())
        .noneMatch(command -> command.contains("--bind") && command.contains(root.toString()));
    assertThat(leftover).doesNotExist();
    assertThat(leftoverFile).doesNotExist();
  }

  @Test
  void unmountSkipsPathThatIsNotMounted() throws IOException {
    mounter.unmount(target);
    mounter.unmount(root.resolve("missing/path"));

    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void unmountDetachesLazily() throws IOException {
    kernel.addMount(target, "rw", "");

    mounter.unmount(target);

    assertThat(runner.commands()).containsExactly(List.of("umount", "-l", target.toString()));
    assertThat(mounter.mountsUnder(target)).isEmpty();
  }

  @Test
  void unmountAcceptsConcurrentUnmount() throws IOException {
    kernel.addMount(target, "rw", "");
    runner.respondWith(argv -> {
      kernel.run(argv);
      return RecordingProcessRunner.result(argv, 32, "", "umount: " + target + ": not mounted.");
    });

    mounter.unmount(target);

    assertThat(runner.commands()).hasSize(1);
  }

  @Test
  void unmountFailureRaisesStderr() throws IOException {
    kernel.addMount(target, "rw", "");
    runner.respondWith(argv -> RecordingProcessRunner.result(argv, 32, "",
        "umount: " + target + ": target is busy."));

    assertThatThrownBy(() -> mounter.unmount(target))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("umount -l " + target)
        .hasMessageContaining("target is busy");
  }

  @Test
  void mountsUnderListsDeepestFirst() throws IOException {
    Path data = root.resolve("data");
    kernel.addMount(data, "rw", "shared:1");
    kernel.addMount(data.resolve("a"), "rw", "");
    kernel.addMount(root.resolve("data-other"), "rw", "");
    kernel.addMount(data.resolve("c"), "rw", "");
    kernel.addMount(data.resolve("a"), "ro", "");
    kernel.addMount(data.resolve("a/b"), "rw", "");

    assertThat(mounter.mountsUnder(data)).containsExactly(
        data.resolve("a/b"), data.resolve("a"), data.resolve("c"), data.resolve("a"), data);
  }

  @Test
  void ensureSharedMountKeepsSharedMount() throws IOException {
    Path data = Files.createDirectories(root.resolve("rkt"));
    kernel.addMount(data, "rw", "shared:7");

    assertThat(mounter.ensureSharedMount(data)).isFalse();
    assertThat(runner.commands()).isEmpty();
  }

  @Test
  void ensureSharedMountSharesExistingMountPoint() throws IOException {
    Path data = Files.createDirectories(root.resolve("rkt"));
    kernel.addMount(data, "rw", "master:2");

    assertThat(mounter.ensureSharedMount(data)).isTrue();
    assertThat(runner.commands())
        .containsExactly(List.of("mount", "--make-rshared", data.toString()));
  }

  @Test
  void ensureSharedMountBindsPlainDirectory() throws IOException {
    Path data = root.resolve("var/lib/rkt");

    assertThat(mounter.ensureSharedMount(data)).isTrue();
    assertThat(data).isDirectory();
    assertThat(runner.commands()).containsExactly(
        List.of("mount", "--rbind", data.toString(), data.toString()),
        List.of("mount", "--make-rshared", data.toString()));
  }

  /** Returns the staging point: the target of the first bind of the source. */
  private String stagingPoint(List<List<String>> commands) {
    for (List<String> command : commands) {
      if (command.size() == 4 && command.get(0).equals("mount")
          && Path.of(command.get(3)).getParent().equals(stagingRoot)) {
        return command.get(3);
      }
    }
    throw new AssertionError("no bind onto a staging point in " + commands);
  }
}
