package io.rktlet.container;

import io.rktlet.containerio.ContainerDirectory;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.rkt.AppSpec;
import io.rktlet.security.SecurityPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a container to the flags of {@code rkt app add}. The app runs rktlet's supervisor as
 * root with its stdio on /dev/null; the supervisor runs the container's command with the
 * container's identity and writes its output.
 */
final class AppSpecs {
  /** User annotation that ties a rkt app to rktlet's container ID. */
  static final String CONTAINER_ID_ANNOTATION = "rktlet.io/container-id";

  private AppSpecs() {}

  /**
   * Builds the spec.
   *
   * @param minimumOomScoreAdj the lowest oom_score_adj the host lets rktlet set
   */
  static AppSpec toSpec(String containerId, String appName, String rktImageId,
      ContainerConfig config, SecurityPlan plan, long minimumOomScoreAdj) {
    List<String> capsRetain = new ArrayList<>(plan.rktCapsRetain());
    if (plan.readOnlyRootfs() && !capsRetain.contains("CAP_SYS_ADMIN")) {
      // The supervisor remounts the app's root read-only itself, which takes CAP_SYS_ADMIN;
      // the child's set is narrowed to the container's afterwards.
      capsRetain.add("CAP_SYS_ADMIN");
    }
    return new AppSpec(
        appName,
        rktImageId,
        new AppSpec.Command(ContainerDirectory.SUPERVISOR, List.of("run"), null, Map.of()),
        new AppSpec.Identity(plan.rktUser(), plan.rktGroup(), List.of()),
        // rkt's own --readonly-rootfs would make the volumes under the root read-only too.
        new AppSpec.Security(null, capsRetain, List.of(), plan.rktSeccomp()),
        resources(config.getLinux().getResources(), minimumOomScoreAdj),
        new AppSpec.Metadata(Map.of(), Map.of(CONTAINER_ID_ANNOTATION, containerId), Map.of()),
        "null");
  }

  private static AppSpec.Resources resources(LinuxContainerResources resources,
      long minimumOomScoreAdj) {
    String memory = resources.getMemoryLimitInBytes() > 0
        ? Long.toString(resources.getMemoryLimitInBytes()) : null;
    String cpu = null;
    if (resources.getCpuQuota() > 0 && resources.getCpuPeriod() > 0) {
      long millicores = Math.max(1, resources.getCpuQuota() * 1000 / resources.getCpuPeriod());
      cpu = millicores + "m";
    }
    Long shares = resources.getCpuShares() > 0 ? resources.getCpuShares() : null;
    Long oomScoreAdj = null;
    if (resources.getOomScoreAdj() != 0) {
      // Without CAP_SYS_RESOURCE no process may go below its launcher's own value.
      oomScoreAdj = Math.max(resources.getOomScoreAdj(), minimumOomScoreAdj);
    }
    return new AppSpec.Resources(memory, cpu, shares, oomScoreAdj);
  }
}
