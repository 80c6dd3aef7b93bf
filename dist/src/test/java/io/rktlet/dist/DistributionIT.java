package io.rktlet.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.rktlet.cri.v1.RuntimeServiceGrpc;
import io.rktlet.cri.v1.VersionRequest;
import io.rktlet.cri.v1.VersionResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the distribution archive into a temporary directory, starts rktlet from it with the
 * rkt test double, calls Version over the UNIX socket and stops it with SIGTERM.
 */
// EpollEventLoopGroup is deprecated in Netty 4.2, but grpc-netty still takes it.
@SuppressWarnings("deprecation")
class DistributionIT {
  private static final Path ARCHIVE = Path.of(System.getProperty("rktlet.distArchive"));
  private static final Path DIST_DIR = Path.of(System.getProperty("rktlet.distDir"));
  private static final Path FAKE_RKT = Path.of(System.getProperty("rktlet.fakeRkt"));

  @TempDir
  Path dir;

  @Test
  void archiveStartsAndServesVersion() throws Exception {
    Path home = unpack();
    Path socket = dir.resolve("run/rktlet.sock");
    Path log = dir.resolve("rktlet.log");
    Files.writeString(dir.resolve("rktlet.toml"), "");
    Process rktlet = new ProcessBuilder(home.resolve("bin/rktlet").toString(),
        "--config=" + dir.resolve("rktlet.toml"),
        "--socket=" + socket,
        "--state-dir=" + dir.resolve("state"),
        "--rkt=" + FAKE_RKT,
        "--rkt-dir=" + dir.resolve("rkt"),
        "--sandbox-launcher=detached",
        "--manage-mounts=false")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      awaitReady(rktlet, log);

      VersionResponse version = callVersion(socket);

      assertThat(version.getRuntimeName()).isEqualTo("rkt");
      assertThat(version.getRuntimeVersion()).isEqualTo("1.30.0");
      assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
      assertThat(Path.of("/proc", Long.toString(rktlet.pid()), "exe").toRealPath())
          .as("the JVM is the bundled runtime's")
          .isEqualTo(home.resolve("runtime/bin/java").toRealPath());
      if (relocatableCds()) {
        assertThat(Files.readString(Path.of("/proc", Long.toString(rktlet.pid()), "maps")))
            .as("the AppCDS archive is mapped although the archive was unpacked elsewhere")
            .contains(home.resolve("lib/rktlet.jsa").toString());
      }

      rktlet.destroy();
      assertThat(rktlet.waitFor(30, TimeUnit.SECONDS)).as("rktlet exits after SIGTERM").isTrue();
      assertThat(rktlet.exitValue()).isEqualTo(143);
      assertThat(Files.readString(log)).contains("rktlet stopped");
      if (relocatableCds()) {
        // Java 17 warns that the relocated archive does not match; newer runtimes map it.
        assertThat(Files.readString(log)).doesNotContain("[warning]");
      }
    } finally {
      rktlet.destroyForcibly();
    }
  }

  @Test
  void archiveHasLayout() throws Exception {
    Path home = unpack();

    assertThat(home.resolve("bin/rktlet")).isExecutable();
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/rktlet")))
        .contains(PosixFilePermission.OTHERS_EXECUTE);
    assertThat(home.resolve("lib/rktlet.jar")).isRegularFile();
    if (relocatableCds()) {
      assertThat(home.resolve("lib/rktlet.jsa")).isRegularFile();
    }
    assertThat(home.resolve("runtime/bin/java")).isExecutable();
    assertThat(home.resolve("systemd/rktlet.service")).isRegularFile();
    assertThat(home.resolve("rktlet.toml.example")).isRegularFile();
    assertThat(home.resolve("INSTALL.md")).isRegularFile();
    assertThat(Files.readString(home.resolve("systemd/rktlet.service")))
        .contains("ExecStart=/opt/rktlet/bin/rktlet --config=/etc/rktlet/rktlet.toml")
        .contains("KillMode=process");
  }

  @Test
  void runtimeHasOnlyListedModules() throws Exception {
    Path home = unpack();

    String modules = run(home.resolve("runtime/bin/java").toString(), "--list-modules");

    assertThat(modules).contains("java.base@", "java.sql@", "jdk.httpserver@",
        "jdk.unsupported@");
    assertThat(modules).doesNotContain("jdk.compiler@", "java.xml.crypto@", "jdk.jshell@");
  }

  @Test
  void debianPackageInstallsToOpt() throws Exception {
    Path deb;
    try (var files = Files.list(DIST_DIR)) {
      deb = files.filter(file -> file.getFileName().toString().endsWith("_amd64.deb"))
          .findFirst()
          .orElse(null);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(deb != null,
        "no Debian package, because dpkg-deb was not found at build time");

    String contents = run("dpkg-deb", "--contents", deb.toString());
    String control = run("dpkg-deb", "--info", deb.toString());

    if (relocatableCds()) {
      assertThat(contents).contains("./opt/rktlet/lib/rktlet.jsa");
    }
    assertThat(contents).contains("./opt/rktlet/bin/rktlet", "./opt/rktlet/lib/rktlet.jar",
        "./opt/rktlet/runtime/bin/java",
        "./lib/systemd/system/rktlet.service", "./etc/rktlet/rktlet.toml.example",
        "./etc/rktlet/rktlet.toml");
    assertThat(contents).contains("./usr/bin/rktlet -> /opt/rktlet/bin/rktlet");
    assertThat(contents).contains("root/root");
    assertThat(control).contains(" Package: rktlet", " Architecture: amd64",
        " Version: 0.1.0~SNAPSHOT");
    assertThat(control).contains("conffiles", "postinst", "prerm", "postrm");
    run("dpkg-deb", "--extract", deb.toString(), dir.toString());
    assertThat(run(dir.resolve("opt/rktlet/bin/rktlet").toString(), "--version"))
        .isEqualTo("rktlet 0.1.0-SNAPSHOT\n");
  }

  private Path unpack() throws IOException, InterruptedException {
    run("tar", "--extract", "--gzip", "--file", ARCHIVE.toString(), "--directory",
        dir.toString());
    try (var entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory)
          .filter(path -> path.getFileName().toString().startsWith("rktlet-"))
          .findFirst()
          .orElseThrow(() -> new AssertionError(ARCHIVE + " has no rktlet-VERSION directory"));
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private static void awaitReady(Process rktlet, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!rktlet.isAlive()) {
        throw new AssertionError("rktlet exited with " + rktlet.exitValue()
            + " during start-up; its log:\n" + Files.readString(log));
      }
      if (Files.exists(log) && Files.readString(log).contains("rktlet is ready")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("rktlet was not ready within 30 s; its log:\n"
        + Files.readString(log));
  }

  private static VersionResponse callVersion(Path socket) throws InterruptedException {
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    ManagedChannel channel = NettyChannelBuilder
        .forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .usePlaintext()
        .build();
    try {
      return RuntimeServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .version(VersionRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** False when the build bundled a runtime that cannot map a relocated AppCDS archive. */
  private static boolean relocatableCds() {
    return Boolean.parseBoolean(System.getProperty("rktlet.relocatableCds", "true"));
  }
}
