package io.rktlet.check;

import io.rktlet.config.CgroupDriver;
import io.rktlet.config.LauncherKind;
import io.rktlet.config.RktletConfig;
import io.rktlet.rkt.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host laid out under one temporary directory: proc files, cgroup hierarchies, systemd's
 * runtime directory, the rkt binary and rktlet's directories. It starts healthy (rkt present,
 * shared root mount, hybrid cgroups, no systemd, root with every capability) and each test
 * row changes one thing.
 */
final class FixtureHost {
  /** CapEff of root with all 41 capabilities of Linux 5.9 and later. */
  static final String ALL_CAPABILITIES = "000001ffffffffff";

  final Path root;
  final Path proc;
  final Path cgroup;
  final Path runSystemd;
  final Path stage1Images;
  Path rktBinary;
  Path dataDir;
  Path stateDir;
  Path socket;
  Path localConfig;
  String network;
  CgroupDriver driver = CgroupDriver.CGROUPFS;
  LauncherKind launcher = LauncherKind.AUTO;
  boolean manageMounts = true;
  final Map<String, SandboxSpec.Stage1> stage1ByHandler = new LinkedHashMap<>();

  FixtureHost(Path root) {
    this.root = root;
    this.proc = root.resolve("proc");
    this.cgroup = root.resolve("sys/fs/cgroup");
    this.runSystemd = root.resolve("run/systemd");
    this.stage1Images = root.resolve("usr/lib/rkt/stage1-images");
    this.rktBinary = root.resolve("usr/bin/rkt");
    this.dataDir = root.resolve("var/lib/rkt");
    this.stateDir = root.resolve("var/lib/rktlet");
    this.socket = root.resolve("run/rktlet/rktlet.sock");
    this.localConfig = root.resolve("etc/rkt");
    stage1ByHandler.put("", null);
    executable(rktBinary, "#!/bin/sh\n");
    directory(dataDir);
    directory(stateDir);
    directory(socket.getParent());
    directory(stage1Images);
    mountInfo("shared:1");
    pid1("init");
    status(0, ALL_CAPABILITIES);
    hybridCgroups();
  }

  RktletConfig config() {
    RktletConfig.Rkt rkt = new RktletConfig.Rkt(rktBinary, dataDir, localConfig, network,
        stage1ByHandler, Duration.ofSeconds(10), Duration.ofSeconds(10));
    RktletConfig.Host host = new RktletConfig.Host(driver, launcher, cgroup, manageMounts);
    RktletConfig.Streaming streaming =
        new RktletConfig.Streaming("127.0.0.1:0", null, null, Duration.ofHours(4));
    return new RktletConfig(socket, stateDir, streaming, "info", Duration.ofSeconds(2), 1024, rkt,
        host, Map.of(), null);
  }

  HostRoots roots() {
    return new HostRoots(proc, cgroup, runSystemd, stage1Images);
  }

  /** Writes a mountinfo with one mount, {@code /}, with these propagation fields. */
  FixtureHost mountInfo(String propagation) {
    String optional = propagation.isEmpty() ? "" : propagation + " ";
    return file(proc.resolve("self/mountinfo"),
        "22 1 254:1 / / rw,relatime " + optional + "- ext4 /dev/vda1 rw\n");
  }

  /** Adds a mount at rkt's data directory on top of the root mount. */
  FixtureHost dataDirMount(String propagation) {
    try {
      String line = "40 22 254:1 " + dataDir + " " + dataDir + " rw,relatime " + propagation
          + " - ext4 /dev/vda1 rw\n";
      Files.writeString(proc.resolve("self/mountinfo"), line,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  FixtureHost pid1(String comm) {
    return file(proc.resolve("1/comm"), comm + "\n");
  }

  FixtureHost status(int uid, String capEff) {
    return file(proc.resolve("self/status"), "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t"
        + uid + "\t" + uid + "\nCapInh:\t0000000000000000\nCapEff:\t" + capEff + "\n");
  }

  /** Makes systemd PID 1: its comm and the directory that sd_booted(3) looks for. */
  FixtureHost systemd() {
    directory(runSystemd.resolve("system"));
    return pid1("systemd");
  }

  FixtureHost hybridCgroups() {
    file(cgroup.resolve("unified/cgroup.controllers"), "\n");
    file(cgroup.resolve("memory/cgroup.procs"), "1\n");
    return file(cgroup.resolve("systemd/cgroup.procs"), "1\n");
  }

  FixtureHost v1Cgroups() {
    deleteTree(cgroup);
    file(cgroup.resolve("memory/cgroup.procs"), "1\n");
    file(cgroup.resolve("cpu/cgroup.procs"), "1\n");
    return file(cgroup.resolve("systemd/cgroup.procs"), "1\n");
  }

  FixtureHost v2Cgroups(String controllers) {
    deleteTree(cgroup);
    file(cgroup.resolve("cgroup.procs"), "1\n");
    return file(cgroup.resolve("cgroup.controllers"), controllers + "\n");
  }

  FixtureHost noCgroups() {
    deleteTree(cgroup);
    directory(cgroup);
    return this;
  }

  FixtureHost file(Path path, String content) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  FixtureHost executable(Path path, String content) {
    return file(path, content).mode(path, "rwxr-xr-x");
  }

  FixtureHost mode(Path path, String permissions) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  FixtureHost directory(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  FixtureHost deleteTree(Path path) {
    if (!Files.exists(path)) {
      return this;
    }
    try (var paths = Files.walk(path)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(each -> each.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
