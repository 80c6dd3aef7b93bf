package io.rktlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRestrictionTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      // The kubelet's default masked and read-only paths.
      "/proc/asound,                  MASK,      true,  false",
      "/proc/acpi,                    MASK,      true,  false",
      "/proc/kcore,                   MASK,      true,  true",
      "/proc/keys,                    MASK,      true,  true",
      "/proc/latency_stats,           MASK,      true,  false",
      "/proc/timer_list,              MASK,      true,  true",
      "/proc/timer_stats,             MASK,      true,  false",
      "/proc/sched_debug,             MASK,      true,  true",
      "/proc/scsi,                    MASK,      true,  false",
      "/sys/firmware,                 MASK,      true,  true",
      "/sys/devices/virtual/powercap, MASK,      true,  false",
      "/proc/bus,                     READ_ONLY, true,  true",
      "/proc/fs,                      READ_ONLY, true,  true",
      "/proc/irq,                     READ_ONLY, true,  true",
      "/proc/sys,                     READ_ONLY, true,  true",
      "/proc/sysrq-trigger,           READ_ONLY, true,  true",
      // Outside the API file systems.
      "/etc/secret,                   MASK,      false, false",
      "/procfs,                       READ_ONLY, false, false",
      "/sys/fs/cgroup,                READ_ONLY, true,  true",
      "/dev/shm,                      READ_ONLY, true,  false",
  })
  void classifiesPaths(String path, PathRestriction.Kind kind, boolean onApiFilesystem,
      boolean coveredByPod) {
    PathRestriction restriction = new PathRestriction(path, kind);

    assertThat(restriction.onApiFilesystem()).isEqualTo(onApiFilesystem);
    assertThat(restriction.coveredByPod()).isEqualTo(coveredByPod);
  }

  @Test
  void bindsIntoRootfs() throws IOException {
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve("etc/secrets"));
    Files.writeString(rootfs.resolve("etc/token"), "t");
    Files.createDirectories(rootfs.resolve("usr/lib"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    List<PathRestriction> restrictions = List.of(
        new PathRestriction("/etc/secrets", PathRestriction.Kind.MASK),
        new PathRestriction("/etc/token", PathRestriction.Kind.MASK),
        new PathRestriction("/usr/lib", PathRestriction.Kind.READ_ONLY),
        new PathRestriction("/missing", PathRestriction.Kind.MASK),
        new PathRestriction("/proc/kcore", PathRestriction.Kind.MASK));

    List<BindInstruction> binds = BindInstruction.forRootfs(restrictions, rootfs, empty);

    assertThat(binds).containsExactly(
        new BindInstruction(empty, rootfs.resolve("etc/secrets"), true, restrictions.get(0)),
        new BindInstruction(BindInstruction.DEV_NULL, rootfs.resolve("etc/token"), false,
            restrictions.get(1)),
        new BindInstruction(rootfs.resolve("usr/lib"), rootfs.resolve("usr/lib"), true,
            restrictions.get(2)));
  }

  @Test
  void symlinkInImageStaysInRootfs() throws IOException {
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    Path hostSecret = Files.createDirectories(dir.resolve("host-secret"));
    Files.createDirectories(rootfs.resolve("inside"));
    Files.createSymbolicLink(rootfs.resolve("escape"), hostSecret);
    Files.createSymbolicLink(rootfs.resolve("inner"), Path.of("/inside"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    List<PathRestriction> restrictions = List.of(
        new PathRestriction("/escape", PathRestriction.Kind.MASK),
        new PathRestriction("/inner", PathRestriction.Kind.MASK));

    List<BindInstruction> binds = BindInstruction.forRootfs(restrictions, rootfs, empty);

    assertThat(binds).extracting(BindInstruction::target)
        .containsExactly(rootfs.resolve("inside"));
  }
}
