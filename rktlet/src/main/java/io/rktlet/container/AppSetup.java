package io.rktlet.container;

import io.rktlet.containerio.LogRecordTally;
import io.rktlet.host.Mounter;
import io.rktlet.security.SecurityPlanner;
import java.nio.file.Path;

/**
 * What container creation needs besides rkt: the security planner, the installed supervisor,
 * rktlet's state directory (for container directories), the mounter and the volume binder.
 *
 * @param minimumOomScoreAdj the lowest oom_score_adj the host lets rktlet set
 * @param logRecords keeps the log record counts of removed containers
 */
public record AppSetup(
    SecurityPlanner security,
    Path supervisorBinary,
    Path stateDir,
    Mounter mounter,
    VolumeBinder volumes,
    long minimumOomScoreAdj,
    LogRecordTally logRecords) {

  AppMounts mounts() {
    return new AppMounts(mounter, volumes, stateDir.resolve("empty"));
  }
}
