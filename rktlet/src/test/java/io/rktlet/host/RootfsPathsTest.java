package io.rktlet.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RootfsPathsTest {
  @TempDir Path tempDir;
  private Path rootfs;

  /** Builds a small image root filesystem with the kinds of links real images contain. */
  @BeforeEach
  void createRootfs() throws IOException {
    rootfs = Files.createDirectories(tempDir.resolve("app/rootfs"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.createDirectories(rootfs.resolve("usr/bin"));
    Files.createDirectories(rootfs.resolve("run"));
    Files.createDirectories(rootfs.resolve("var"));
    Files.createDirectories(rootfs.resolve("a"));
    link("bin", "usr/bin");
    link("lib", "/usr/lib");
    link("hostetc", "/etc");
    link("up", "../../../../..");
    link("upetc", "../../../../etc");
    link("dotdot-abs", "/../../etc");
    link("var/run", "../run");
    link("link-to-file", "/etc/passwd");
    link("a/b", "/etc/../usr");
    link("loop-a", "loop-b");
    link("loop-b", "loop-a");
    link("self", "self");
    link("outside-dir", "/nonexistent-rktlet-test-dir/sub");
    chain("forty", 40);
    chain("forty-one", 41);
  }

  /**
   * Deletes the links before JUnit removes the directory, because JUnit warns about every link
   * whose target is outside its temporary directory.
   */
  @AfterEach
  void deleteLinks() throws IOException {
    try (Stream<Path> paths = Files.walk(rootfs)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(path)) {
          Files.delete(path);
        }
      }
    }
  }

  /** Creates {@code name0 -> name1 -> ... -> /etc}, a chain of {@code links} links. */
  private void chain(String name, int links) throws IOException {
    for (int i = 0; i < links - 1; i++) {
      link(name + i, "/" + name + (i + 1));
    }
    link(name + (links - 1), "/etc");
  }

  private void link(String name, String target) throws IOException {
    Files.createSymbolicLink(rootfs.resolve(name), Path.of(target));
  }

  static Stream<Arguments> resolvedPaths() {
    return Stream.of(
        Arguments.of("root itself", "/", ""),
        Arguments.of("plain file", "/etc/passwd", "etc/passwd"),
        Arguments.of("repeated slashes and dots", "//etc/./passwd", "etc/passwd"),
        Arguments.of("missing last component kept", "/etc/hosts", "etc/hosts"),
        Arguments.of("relative link", "/bin/sh", "usr/bin/sh"),
        Arguments.of("absolute link to /etc stays inside", "/hostetc", "etc"),
        Arguments.of("absolute link to /etc, then a file", "/hostetc/passwd", "etc/passwd"),
        Arguments.of("dot-dot clamped at root", "/../../etc", "etc"),
        Arguments.of("relative link climbing out", "/up/etc", "etc"),
        Arguments.of("relative link climbing out to etc", "/upetc/passwd", "etc/passwd"),
        Arguments.of("absolute link with dot-dot", "/dotdot-abs", "etc"),
        Arguments.of("absolute link to missing directory", "/lib/x86_64", "usr/lib/x86_64"),
        Arguments.of("nested relative link", "/var/run/secrets", "run/secrets"),
        Arguments.of("dot-dot after missing component", "/missing/../etc", "etc"),
        Arguments.of("link to file as last component", "/link-to-file", "etc/passwd"),
        Arguments.of("link below a directory", "/a/b/bin", "usr/bin"),
        Arguments.of("link then dot-dot", "/bin/..", "usr"),
        Arguments.of("exactly 40 links", "/forty0", "etc"),
        Arguments.of("link to missing host path", "/outside-dir",
            "nonexistent-rktlet-test-dir/sub"),
        Arguments.of("dot-dot of root", "/etc/..", ""));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("resolvedPaths")
  void resolvesInsideRootfs(String description, String containerPath, String expected)
      throws IOException {
    Path resolved = RootfsPaths.resolve(rootfs, containerPath);

    assertThat(resolved).isEqualTo(rootfs.resolve(expected));
    assertThat(resolved.startsWith(rootfs)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/loop-a", "/loop-b/x", "/self", "/self/x", "/forty-one0"})
  void rejectsTooManySymlinks(String containerPath) {
    assertThatThrownBy(() -> RootfsPaths.resolve(rootfs, containerPath))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("too many levels of symbolic links");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/passwd/x", "/link-to-file/x", "/etc/passwd/.."})
  void rejectsComponentBelowFile(String containerPath) {
    assertThatThrownBy(() -> RootfsPaths.resolve(rootfs, containerPath))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("not a directory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "etc/passwd", "./etc", "../etc"})
  void rejectsRelativeContainerPath(String containerPath) {
    assertThatThrownBy(() -> RootfsPaths.resolve(rootfs, containerPath))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be absolute");
  }

  @Test
  void resolveAcceptsRelativeRootfs() throws IOException {
    Path relativeRootfs = Path.of("").toAbsolutePath().relativize(rootfs);

    assertThat(RootfsPaths.resolve(relativeRootfs, "/hostetc")).isEqualTo(rootfs.resolve("etc"));
  }

  @Test
  void ensureTargetCreatesDirectoriesWithMode0755() throws IOException {
    Path target = RootfsPaths.resolve(rootfs, "/data/volumes/cache");

    RootfsPaths.ensureTarget(target, true);

    assertThat(target).isDirectory();
    for (Path directory : new Path[] {rootfs.resolve("data"), rootfs.resolve("data/volumes"),
        target}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
          .as(directory.toString())
          .isEqualTo("rwxr-xr-x");
    }
  }

  @Test
  void ensureTargetCreatesEmptyFile() throws IOException {
    Path target = RootfsPaths.resolve(rootfs, "/run/secrets/token");

    RootfsPaths.ensureTarget(target, false);

    assertThat(target).isRegularFile();
    assertThat(Files.size(target)).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(rootfs.resolve("run/secrets")))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void ensureTargetLeavesExistingTargetAlone() throws IOException {
    RootfsPaths.ensureTarget(rootfs.resolve("etc"), true);
    RootfsPaths.ensureTarget(rootfs.resolve("etc/passwd"), false);

    assertThat(Files.readString(rootfs.resolve("etc/passwd"))).startsWith("root:");
  }

  @Test
  void ensureTargetRejectsFileWhereDirectoryIsNeeded() {
    assertThatThrownBy(() -> RootfsPaths.ensureTarget(rootfs.resolve("etc/passwd"), true))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void ensureTargetRejectsDirectoryWhereFileIsNeeded() {
    assertThatThrownBy(() -> RootfsPaths.ensureTarget(rootfs.resolve("etc"), false))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("not a file");
  }

  @Test
  void ensureTargetRejectsUnresolvedSymlink() {
    assertThatThrownBy(() -> RootfsPaths.ensureTarget(rootfs.resolve("hostetc"), true))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> RootfsPaths.ensureTarget(rootfs.resolve("outside-dir"), false))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void ensureTargetFollowsNoLinkToHost() throws IOException {
    Path target = RootfsPaths.resolve(rootfs, "/outside-dir/file");

    RootfsPaths.ensureTarget(target, false);

    assertThat(rootfs.resolve("nonexistent-rktlet-test-dir/sub/file")).isRegularFile();
    assertThat(Path.of("/nonexistent-rktlet-test-dir")).doesNotExist();
    assertThat(rootfs.resolve("outside-dir")).isSymbolicLink();
  }
}
