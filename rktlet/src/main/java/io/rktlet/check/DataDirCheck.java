package io.rktlet.check;

import io.rktlet.host.MountInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that rkt's data directory exists and is on a shared mount. {@code rkt app add} mounts
 * each app's root filesystem below it from the host side, and only a shared mount passes that
 * mount on into the pod's mount namespace.
 */
final class DataDirCheck {
  private static final String NAME = "data-dir-mount";

  private final Path mountInfoFile;

  DataDirCheck(Path proc) {
    this.mountInfoFile = proc.resolve("self/mountinfo");
  }

  CheckResult check(Path dataDir, boolean manageMounts) {
    String makeShared = "mount --bind " + dataDir + " " + dataDir + " && mount --make-rshared "
        + dataDir;
    if (!Files.isDirectory(dataDir)) {
      if (manageMounts) {
        return CheckResult.ok(NAME, dataDir + " does not exist yet, and rktlet creates it as a "
            + "shared mount at start-up (manage_mounts is true)");
      }
      return CheckResult.fail(NAME, dataDir + " does not exist",
          "mkdir -p " + dataDir + " && " + makeShared);
    }
    MountInfo mount;
    try {
      mount = mountContaining(dataDir.toRealPath());
    } catch (IOException | IllegalArgumentException e) {
      return CheckResult.warn(NAME, "cannot tell whether " + dataDir + " is a shared mount: "
          + e.getMessage(), "check that " + mountInfoFile + " is readable");
    }
    String where = dataDir + " is on mount " + mount.mountPoint() + ", which is ";
    if (mount.isShared()) {
      return CheckResult.ok(NAME, where + "shared (" + String.join(" ", mount.optionalFields())
          + ")");
    }
    String propagation = mount.isSlave() ? "a slave (" + String.join(" ", mount.optionalFields())
        + ")" : mount.isUnbindable() ? "unbindable" : "private";
    if (manageMounts) {
      return CheckResult.warn(NAME, where + propagation + ", so rktlet makes " + dataDir
          + " a shared mount at start-up (manage_mounts is true)", "");
    }
    return CheckResult.fail(NAME, where + propagation + ", so app root filesystems would not "
        + "reach pods", makeShared + ", or set manage_mounts = true");
  }

  /**
   * Returns the mount whose mount point is the longest prefix of {@code path}. Of mounts stacked
   * on one point, the kernel lists the topmost last.
   */
  private MountInfo mountContaining(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(mountInfoFile);
    List<MountInfo> mounts = MountInfo.parseAll(new String(bytes, StandardCharsets.UTF_8));
    MountInfo found = null;
    for (MountInfo mount : mounts) {
      if (path.startsWith(mount.mountPoint()) && (found == null
          || mount.mountPoint().getNameCount() >= found.mountPoint().getNameCount())) {
        found = mount;
      }
    }
    if (found == null) {
      throw new IOException("no mount in " + mountInfoFile + " contains " + path);
    }
    return found;
  }
}
