package io.rktlet.check;

import io.rktlet.config.RktletConfig;
import io.rktlet.process.ProcessRunner;
import io.rktlet.runtime.NetworkCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs every host check in a fixed order, for {@code rktlet check}. */
public final class HostChecker {
  private final RktletConfig config;
  private final HostRoots roots;
  private final RktChecks rkt;
  private final Stage1Checks stage1;
  private final StorageChecks storage;

  /**
   * @param timeout deadline of each rkt command the checks run
   */
  public HostChecker(RktletConfig config, HostRoots roots, ProcessRunner runner,
      DiskSpace diskSpace, Duration timeout) {
    this.config = config;
    this.roots = roots;
    this.rkt = new RktChecks(config.rkt(), runner, timeout);
    this.stage1 = new Stage1Checks(config.rkt(), runner, timeout, roots.stage1Images());
    this.storage = new StorageChecks(diskSpace);
  }

  /** Runs the checks and returns their results in the order they are printed. */
  public List<CheckResult> run() {
    List<CheckResult> results = new ArrayList<>();
    CheckResult binary = rkt.binary();
    boolean rktRuns = binary.status() != CheckResult.Status.FAIL;
    results.add(binary);
    results.add(rkt.appExperiment(rktRuns));
    results.addAll(stage1.all(rktRuns));
    results.add(new DataDirCheck(roots.proc()).check(config.rkt().dataDir(),
        config.host().manageMounts()));
    CgroupChecks cgroups = new CgroupChecks(roots);
    results.add(cgroups.layoutCheck());
    results.add(cgroups.driverCheck(config.host().cgroupDriver()));
    results.add(cgroups.launcherCheck(config.host().launcher()));
    results.add(network());
    results.add(new PrivilegeCheck(roots.proc()).check(config.host().manageMounts()));
    results.add(storage.freeSpace("rkt-dir-space", config.rkt().dataDir()));
    results.add(storage.freeSpace("state-dir-space", config.stateDir()));
    results.add(storage.socketDirectory(config.socket()));
    return results;
  }

  /** Checks that a CNI network other than rkt's built-in ones is declared in net.d. */
  private CheckResult network() {
    String name = "cni-network";
    String network = config.rkt().network();
    Path localConfig = config.rkt().localConfig();
    NetworkCheck.Result result = new NetworkCheck(network, localConfig).current();
    if (network == null) {
      return CheckResult.ok(name, "rkt's built-in network \"default\"");
    }
    Path netDir = (localConfig == null ? Path.of("/etc/rkt") : localConfig).resolve("net.d");
    if (NetworkCheck.isBuiltIn(network)) {
      return CheckResult.ok(name, "rkt's built-in network \"" + network + "\"");
    }
    if (result.ready()) {
      return CheckResult.ok(name, "\"" + network + "\" is declared in " + netDir);
    }
    return CheckResult.fail(name, result.message(), "add a CNI configuration file with \"name\": "
        + "\"" + network + "\" to " + netDir + ", or unset the network setting to use rkt's "
        + "default network");
  }

  /** Returns 1 when a check failed, else 0; warnings do not change the exit status. */
  public static int exitStatus(List<CheckResult> results) {
    boolean failed = results.stream().anyMatch(r -> r.status() == CheckResult.Status.FAIL);
    return failed ? 1 : 0;
  }
}
