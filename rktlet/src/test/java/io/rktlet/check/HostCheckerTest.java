package io.rktlet.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.config.CgroupDriver;
import io.rktlet.config.LauncherKind;
import io.rktlet.rkt.SandboxSpec;
import io.rktlet.rkt.SandboxSpec.Stage1.Kind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rktlet check} against fixture hosts. Each row starts from a healthy host, changes one
 * thing and lists the lines that then differ from the healthy output. The test asserts every
 * printed line and the exit status.
 */
class HostCheckerTest {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  /** Output for the healthy fixture host; {@code $ROOT} is the fixture's directory. */
  private static final List<String> HEALTHY = List.of(
      "ok    rkt-binary         rkt 1.30.0 at $ROOT/usr/bin/rkt",
      "ok    rkt-app-api        RKT_EXPERIMENT_APP=true enables rkt app",
      "ok    stage1 (default)   rkt's default stage1, which only a pod start can test",
      "ok    data-dir-mount     $ROOT/var/lib/rkt is on mount /, which is shared (shared:1)",
      "ok    cgroup-layout      cgroup v1 with cgroup v2 at $ROOT/sys/fs/cgroup/unified (hybrid)",
      "ok    cgroup-driver      cgroupfs, and PID 1 is init, not systemd",
      "ok    sandbox-launcher   auto, which selects detached on this host",
      "ok    cni-network        rkt's built-in network \"default\"",
      "ok    privileges         root with CAP_SYS_ADMIN",
      "ok    rkt-dir-space      50 GiB free for $ROOT/var/lib/rkt",
      "ok    state-dir-space    50 GiB free for $ROOT/var/lib/rktlet",
      "ok    socket-dir         $ROOT/run/rktlet is writable");

  @TempDir
  Path dir;

  /** One fixture host: what to change, and the output lines that then differ. */
  static final class Row {
    final String description;
    Consumer<FixtureHost> host = host -> { };
    Consumer<ScriptedRkt> rkt = rkt -> { };
    long freeBytes = 50 * GIB;
    final Map<String, String> changedLines = new LinkedHashMap<>();
    int exitStatus;

    Row(String description) {
      this.description = description;
    }

    Row host(Consumer<FixtureHost> change) {
      host = change;
      return this;
    }

    Row rkt(Consumer<ScriptedRkt> change) {
      rkt = change;
      return this;
    }

    Row free(long bytes) {
      freeBytes = bytes;
      return this;
    }

    /** Expects this line in place of the healthy line of the same check, or as a new line. */
    Row line(String line) {
      changedLines.put(line.substring(6, 6 + CheckResult.NAME_WIDTH).strip(), line);
      return this;
    }

    Row exit(int status) {
      exitStatus = status;
      return this;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private static SandboxSpec.Stage1 stage1(Kind kind, String value) {
    return new SandboxSpec.Stage1(kind, value);
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("healthy hybrid host").exit(0),
        new Row("missing rkt")
            .host(host -> {
              host.rktBinary = host.root.resolve("usr/local/bin/rkt");
              host.stage1ByHandler.put("kvm",
                  stage1(Kind.NAME, "coreos.com/rkt/stage1-kvm"));
            })
            .line("FAIL  rkt-binary         $ROOT/usr/local/bin/rkt does not exist. Fix: install "
                + "rkt v1.30.0 there, or set --rkt (rkt.binary in the configuration file) to "
                + "its path")
            .line("warn  rkt-app-api        not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .line("warn  stage1 (default)   not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .line("warn  stage1 kvm         not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .exit(1),
        new Row("rkt not executable")
            .host(host -> host.mode(host.rktBinary, "rw-r--r--"))
            .line("FAIL  rkt-binary         $ROOT/usr/bin/rkt is not executable. Fix: chmod 0755 "
                + "$ROOT/usr/bin/rkt")
            .line("warn  rkt-app-api        not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .line("warn  stage1 (default)   not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .exit(1),
        new Row("rkt version fails")
            .rkt(rkt -> rkt.version = new ScriptedRkt.Answer(254, "",
                ScriptedRkt.GROUP_WARNING + "Error: unknown flag: --dir\n"))
            .line("FAIL  rkt-binary         $ROOT/usr/bin/rkt version failed with exit code 254: "
                + "Error: unknown flag: --dir. Fix: reinstall rkt v1.30.0")
            .line("warn  rkt-app-api        not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .line("warn  stage1 (default)   not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .exit(1),
        new Row("rkt version unparsable")
            .rkt(rkt -> rkt.version = new ScriptedRkt.Answer(0, "v1.30.0\n", ""))
            .line("FAIL  rkt-binary         $ROOT/usr/bin/rkt version printed no \"rkt Version:\" "
                + "line. Fix: check that $ROOT/usr/bin/rkt is rkt")
            .line("warn  rkt-app-api        not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .line("warn  stage1 (default)   not checked, because rkt cannot run. Fix: fix the "
                + "rkt-binary check first")
            .exit(1),
        new Row("older rkt version")
            .rkt(rkt -> rkt.version = new ScriptedRkt.Answer(0,
                ScriptedRkt.VERSION_1_30.replace("1.30.0", "1.29.0"), ""))
            .line("warn  rkt-binary         rkt 1.29.0 at $ROOT/usr/bin/rkt, but rktlet is "
                + "written for rkt 1.30.0. Fix: install rkt v1.30.0")
            .exit(0),
        new Row("rkt without app experiment")
            .rkt(rkt -> rkt.app = new ScriptedRkt.Answer(254, "",
                "Error: unknown command \"app\" for \"rkt\"\nRun 'rkt --help' for usage.\n"))
            .line("FAIL  rkt-app-api        rkt app with RKT_EXPERIMENT_APP=true failed with exit "
                + "code 254: Error: unknown command \"app\" for \"rkt\". Fix: install rkt "
                + "v1.30.0, whose app commands rktlet needs")
            .exit(1),
        new Row("private mount, rktlet manages mounts")
            .host(host -> host.mountInfo(""))
            .line("warn  data-dir-mount     $ROOT/var/lib/rkt is on mount /, which is private, "
                + "so rktlet makes $ROOT/var/lib/rkt a shared mount at start-up (manage_mounts "
                + "is true)")
            .exit(0),
        new Row("private mount, mounts unmanaged")
            .host(host -> host.mountInfo("").manageMounts = false)
            .line("FAIL  data-dir-mount     $ROOT/var/lib/rkt is on mount /, which is private, so "
                + "app root filesystems would not reach pods. Fix: mount --bind $ROOT/var/lib/rkt "
                + "$ROOT/var/lib/rkt && mount --make-rshared $ROOT/var/lib/rkt, or set "
                + "manage_mounts = true")
            .exit(1),
        new Row("slave mount, mounts unmanaged")
            .host(host -> host.mountInfo("master:1").manageMounts = false)
            .line("FAIL  data-dir-mount     $ROOT/var/lib/rkt is on mount /, which is a slave "
                + "(master:1), so app root filesystems would not reach pods. Fix: mount --bind "
                + "$ROOT/var/lib/rkt $ROOT/var/lib/rkt && mount --make-rshared $ROOT/var/lib/rkt, "
                + "or set manage_mounts = true")
            .exit(1),
        new Row("shared data dir on private root")
            .host(host -> host.mountInfo("").dataDirMount("shared:7"))
            .line("ok    data-dir-mount     $ROOT/var/lib/rkt is on mount $ROOT/var/lib/rkt, which "
                + "is shared (shared:7)")
            .exit(0),
        new Row("missing data dir, mounts unmanaged")
            .host(host -> {
              host.deleteTree(host.dataDir);
              host.manageMounts = false;
            })
            .line("FAIL  data-dir-mount     $ROOT/var/lib/rkt does not exist. Fix: mkdir -p "
                + "$ROOT/var/lib/rkt && mount --bind $ROOT/var/lib/rkt $ROOT/var/lib/rkt && "
                + "mount --make-rshared $ROOT/var/lib/rkt")
            .exit(1),
        new Row("missing data dir, rktlet manages mounts")
            .host(host -> host.deleteTree(host.dataDir))
            .line("ok    data-dir-mount     $ROOT/var/lib/rkt does not exist yet, and rktlet "
                + "creates it as a shared mount at start-up (manage_mounts is true)")
            .exit(0),
        new Row("stage1 images found")
            .host(host -> {
              host.file(host.root.resolve("opt/stage1-kvm.aci"), "aci");
              host.file(host.stage1Images.resolve("stage1-coreos.aci"), "aci");
              host.stage1ByHandler.put("", stage1(Kind.NAME, "coreos.com/rkt/stage1-host:1.30.0"));
              host.stage1ByHandler.put("kvm", stage1(Kind.PATH, host.root + "/opt/stage1-kvm.aci"));
              host.stage1ByHandler.put("coreos", stage1(Kind.FROM_DIR, "stage1-coreos.aci"));
              host.stage1ByHandler.put("byhash", stage1(Kind.HASH, "sha512-08d70b0612b5"));
              host.stage1ByHandler.put("anyver", stage1(Kind.NAME, "coreos.com/rkt/stage1-host"));
              host.stage1ByHandler.put("remote",
                  stage1(Kind.URL, "https://example.com/stage1.aci"));
            })
            .line("ok    stage1 (default)   name:coreos.com/rkt/stage1-host:1.30.0 is in rkt's "
                + "image store as " + ScriptedRkt.STAGE1_HOST_ID)
            .line("ok    stage1 kvm         path:$ROOT/opt/stage1-kvm.aci: "
                + "$ROOT/opt/stage1-kvm.aci exists")
            .line("ok    stage1 coreos      dir:stage1-coreos.aci: "
                + "$ROOT/usr/lib/rkt/stage1-images/stage1-coreos.aci exists")
            .line("ok    stage1 byhash      hash:sha512-08d70b0612b5 is in rkt's image store as "
                + ScriptedRkt.STAGE1_HOST_ID)
            .line("ok    stage1 anyver      name:coreos.com/rkt/stage1-host is in rkt's image "
                + "store as " + ScriptedRkt.STAGE1_HOST_ID)
            .line("ok    stage1 remote      url:https://example.com/stage1.aci (not checked, "
                + "because rkt fetches it at first use)")
            .exit(0),
        new Row("missing stage1 images")
            .host(host -> {
              host.stage1ByHandler.put("", stage1(Kind.NAME, "coreos.com/rkt/stage1-host:1.29.0"));
              host.stage1ByHandler.put("kvm", stage1(Kind.PATH, host.root + "/opt/stage1-kvm.aci"));
              host.stage1ByHandler.put("coreos", stage1(Kind.FROM_DIR, "stage1-coreos.aci"));
              host.stage1ByHandler.put("byhash", stage1(Kind.HASH, "sha512-ffff"));
            })
            .line("FAIL  stage1 (default)   name:coreos.com/rkt/stage1-host:1.29.0 is not in rkt's "
                + "image store. Fix: import it with rkt --dir=$ROOT/var/lib/rkt fetch "
                + "--insecure-options=image FILE.aci, or set the handler's stage1 to "
                + "path:FILE.aci")
            .line("FAIL  stage1 kvm         path:$ROOT/opt/stage1-kvm.aci: "
                + "$ROOT/opt/stage1-kvm.aci does not exist. Fix: install the stage1 image (an "
                + ".aci file) there, or change the handler's stage1 setting")
            .line("FAIL  stage1 coreos      dir:stage1-coreos.aci: "
                + "$ROOT/usr/lib/rkt/stage1-images/stage1-coreos.aci does not exist. Fix: install "
                + "the stage1 image (an .aci file) there, or change the handler's stage1 setting")
            .line("FAIL  stage1 byhash      hash:sha512-ffff is not in rkt's image store. Fix: "
                + "import it with rkt --dir=$ROOT/var/lib/rkt fetch --insecure-options=image "
                + "FILE.aci, or set the handler's stage1 to path:FILE.aci")
            .exit(1),
        new Row("fly stage1")
            .host(host -> host.stage1ByHandler.put("fly",
                stage1(Kind.NAME, "coreos.com/rkt/stage1-fly:1.30.0")))
            .line("FAIL  stage1 fly         name:coreos.com/rkt/stage1-fly:1.30.0 is the fly "
                + "flavour, which cannot run the mutable pods that rkt app needs. Fix: use the "
                + "host, coreos or kvm stage1 flavour")
            .exit(1),
        new Row("image list fails")
            .host(host -> host.stage1ByHandler.put("",
                stage1(Kind.NAME, "coreos.com/rkt/stage1-host:1.30.0")))
            .rkt(rkt -> rkt.imageList = new ScriptedRkt.Answer(254, "",
                "Error: cannot open store: permission denied\n"))
            .line("warn  stage1 (default)   name:coreos.com/rkt/stage1-host:1.30.0 not checked, "
                + "because rkt image list failed: rkt image list failed with exit code 254: "
                + "Error: cannot open store: permission denied. Fix: run rkt image list to see why")
            .exit(0),
        new Row("cgroup v1 layout")
            .host(FixtureHost::v1Cgroups)
            .line("warn  cgroup-layout      cgroup v1 only at $ROOT/sys/fs/cgroup, without "
                + "cgroup.kill, so rktlet kills a stopped app's processes one PID at a time. Fix: "
                + "boot with systemd.unified_cgroup_hierarchy=1 for cgroup v2")
            .exit(0),
        new Row("cgroup v2 layout")
            .host(host -> host.v2Cgroups("cpuset cpu io memory hugetlb pids rdma misc"))
            .line("ok    cgroup-layout      cgroup v2 at $ROOT/sys/fs/cgroup")
            .exit(0),
        new Row("cgroup v2 without memory controller")
            .host(host -> host.v2Cgroups("cpuset cpu io pids"))
            .line("warn  cgroup-layout      cgroup v2 at $ROOT/sys/fs/cgroup, without the memory "
                + "controller, so pod memory limits and OOM detection do not work. Fix: enable "
                + "the memory controller (kernel option cgroup_enable=memory)")
            .exit(0),
        new Row("no cgroup hierarchy")
            .host(FixtureHost::noCgroups)
            .line("FAIL  cgroup-layout      no cgroup hierarchy at $ROOT/sys/fs/cgroup. Fix: mount "
                + "cgroup2 at $ROOT/sys/fs/cgroup, or set cgroup_root to where the hierarchies "
                + "are")
            .exit(1),
        new Row("systemd host, systemd driver")
            .host(host -> {
              host.systemd();
              host.driver = CgroupDriver.SYSTEMD;
            })
            .line("ok    cgroup-driver      systemd, and systemd is PID 1")
            .line("ok    sandbox-launcher   auto, which selects systemd (systemd-run) on this host")
            .exit(0),
        new Row("systemd driver without systemd")
            .host(host -> {
              host.driver = CgroupDriver.SYSTEMD;
              host.launcher = LauncherKind.SYSTEMD;
            })
            .line("FAIL  cgroup-driver      systemd, but PID 1 is init, not systemd. Fix: set "
                + "cgroup_driver = \"cgroupfs\" here and --cgroup-driver=cgroupfs in the kubelet")
            .line("FAIL  sandbox-launcher   systemd, but PID 1 is init, not systemd. Fix: set "
                + "sandbox_launcher = \"auto\" or \"detached\"")
            .exit(1),
        new Row("systemd host, cgroupfs driver")
            .host(host -> {
              host.systemd();
              host.launcher = LauncherKind.DETACHED;
            })
            .line("warn  cgroup-driver      cgroupfs, but systemd is PID 1 and also manages "
                + "cgroups. Fix: set cgroup_driver = \"systemd\" here and --cgroup-driver=systemd "
                + "in the kubelet, as Kubernetes recommends on systemd hosts")
            .line("ok    sandbox-launcher   detached")
            .exit(0),
        new Row("declared CNI network")
            .host(host -> {
              host.network = "podnet";
              host.file(host.localConfig.resolve("net.d/10-podnet.conf"),
                  "{\"cniVersion\": \"0.3.1\", \"name\": \"podnet\", \"type\": \"bridge\"}\n");
            })
            .line("ok    cni-network        \"podnet\" is declared in $ROOT/etc/rkt/net.d")
            .exit(0),
        new Row("undeclared CNI network")
            .host(host -> host.network = "podnet")
            .line("FAIL  cni-network        CNI network \"podnet\" is not declared in "
                + "$ROOT/etc/rkt/net.d. Fix: add a CNI configuration file with \"name\": "
                + "\"podnet\" to $ROOT/etc/rkt/net.d, or unset the network setting to use rkt's "
                + "default network")
            .exit(1),
        new Row("built-in host network")
            .host(host -> host.network = "host")
            .line("ok    cni-network        rkt's built-in network \"host\"")
            .exit(0),
        new Row("not root")
            .host(host -> host.status(1000, "0000000000000000"))
            .line("FAIL  privileges         running as uid 1000, but rkt needs root to run pods. "
                + "Fix: run rktlet as root")
            .exit(1),
        new Row("root without CAP_SYS_ADMIN")
            .host(host -> host.status(0, "00000000a80425fb"))
            .line("FAIL  privileges         root without CAP_SYS_ADMIN, which mounting needs. Fix: "
                + "run rktlet on the host, not in a container without that capability")
            .exit(1),
        new Row("low disk space")
            .free(500 * MIB)
            .line("warn  rkt-dir-space      500 MiB free for $ROOT/var/lib/rkt, less than 1 GiB. "
                + "Fix: free space on the filesystem of $ROOT/var/lib/rkt, or move "
                + "$ROOT/var/lib/rkt")
            .line("warn  state-dir-space    500 MiB free for $ROOT/var/lib/rktlet, less than "
                + "1 GiB. Fix: free space on the filesystem of $ROOT/var/lib/rktlet, or move "
                + "$ROOT/var/lib/rktlet")
            .exit(0),
        new Row("almost no disk space")
            .free(50 * MIB + 512 * 1024)
            .line("FAIL  rkt-dir-space      50.5 MiB free for $ROOT/var/lib/rkt, less than "
                + "100 MiB. Fix: free space on the filesystem of $ROOT/var/lib/rkt, or move "
                + "$ROOT/var/lib/rkt")
            .line("FAIL  state-dir-space    50.5 MiB free for $ROOT/var/lib/rktlet, less than "
                + "100 MiB. Fix: free space on the filesystem of $ROOT/var/lib/rktlet, or move "
                + "$ROOT/var/lib/rktlet")
            .exit(1),
        new Row("socket dir not created yet")
            .host(host -> host.deleteTree(host.socket.getParent()))
            .line("ok    socket-dir         $ROOT/run/rktlet does not exist yet, and rktlet "
                + "creates it in $ROOT/run")
            .exit(0),
        new Row("socket dir is a file")
            .host(host -> host.deleteTree(host.socket.getParent())
                .file(host.socket.getParent(), "not a directory\n"))
            .line("FAIL  socket-dir         $ROOT/run/rktlet is not a directory. Fix: set --socket "
                + "to a path in a directory")
            .exit(1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void printsEveryLineAndExitStatus(Row row) throws IOException {
    FixtureHost host = new FixtureHost(dir);
    row.host.accept(host);
    ScriptedRkt rkt = new ScriptedRkt();
    row.rkt.accept(rkt);
    HostChecker checker = new HostChecker(host.config(), host.roots(), rkt,
        path -> row.freeBytes, Duration.ofSeconds(5));

    StringWriter out = new StringWriter();
    int exitStatus = CheckCommand.print(checker.run(), new PrintWriter(out));

    List<String> lines = out.toString().lines().toList();
    List<String> expected = expectedLines(row);
    assertThat(lines.subList(0, lines.size() - 1))
        .containsExactlyElementsOf(expected.stream().map(line -> line.replace("$ROOT",
            dir.toString())).toList());
    assertThat(lines.get(lines.size() - 1)).matches("\\d+ ok, \\d+ warn, \\d+ FAIL");
    assertThat(exitStatus).isEqualTo(row.exitStatus);
  }

  /** Builds the healthy output with the row's lines in place of, or after, the stage1 lines. */
  private static List<String> expectedLines(Row row) {
    Map<String, String> remaining = new LinkedHashMap<>(row.changedLines);
    List<String> expected = new ArrayList<>();
    for (String line : HEALTHY) {
      String name = line.substring(6, 6 + CheckResult.NAME_WIDTH).strip();
      expected.add(remaining.containsKey(name) ? remaining.remove(name) : line);
      if (name.equals("stage1 (default)")) {
        remaining.entrySet().removeIf(entry -> {
          boolean handler = entry.getKey().startsWith("stage1 ");
          if (handler) {
            expected.add(entry.getValue());
          }
          return handler;
        });
      }
    }
    assertThat(remaining).as("expected lines of checks that do not exist").isEmpty();
    return expected;
  }

  @Test
  void summaryCountsEachStatus() {
    List<CheckResult> results = List.of(
        CheckResult.ok("a", "fine"),
        CheckResult.warn("b", "odd", ""),
        CheckResult.fail("c", "broken", "repair"),
        CheckResult.fail("d", "broken", "repair"));

    assertThat(CheckCommand.summary(results)).isEqualTo("1 ok, 1 warn, 2 FAIL");
    assertThat(HostChecker.exitStatus(results)).isEqualTo(1);
    assertThat(HostChecker.exitStatus(results.subList(0, 2))).isZero();
  }

  @Test
  void formatsBytesInBinaryUnits() {
    assertThat(StorageChecks.formatBytes(0)).isEqualTo("0 bytes");
    assertThat(StorageChecks.formatBytes(1023)).isEqualTo("1023 bytes");
    assertThat(StorageChecks.formatBytes(100 * MIB)).isEqualTo("100 MiB");
    assertThat(StorageChecks.formatBytes(3 * GIB / 2)).isEqualTo("1.5 GiB");
  }

  @Test
  void socketPathTooLong() throws IOException {
    FixtureHost host = new FixtureHost(dir);
    host.socket = dir.resolve("x".repeat(120) + "/rktlet.sock");

    CheckResult result = new StorageChecks(path -> 50 * GIB).socketDirectory(host.socket);

    assertThat(result.status()).isEqualTo(CheckResult.Status.FAIL);
    assertThat(result.finding()).endsWith("more than the 107 that UNIX sockets allow");
    assertThat(Files.exists(host.socket.getParent())).isFalse();
  }
}
