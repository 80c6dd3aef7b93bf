package io.rktlet.container;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.KeyValue;
import io.rktlet.cri.v1.LinuxContainerResources;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.errors.CriException;
import io.rktlet.rkt.AppSpec;
import io.rktlet.rkt.ImageManifest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps a CRI ContainerConfig to the flags of {@code rkt app add}. */
final class AppSpecs {
  /** User annotation that ties a rkt app to rktlet's container ID. */
  static final String CONTAINER_ID_ANNOTATION = "rktlet.io/container-id";

  /**
   * rkt's default seccomp filter kills glibc programs that start threads (clone3 ends in
   * SIGSYS), so apps get the whole syscall set unless a profile says otherwise.
   */
  static final String SECCOMP_ALLOW_ALL = "mode=retain,@appc.io/all";

  private AppSpecs() {}

  /**
   * Builds the spec.
   *
   * @param minimumOomScoreAdj the lowest oom_score_adj the host lets rktlet set
   */
  static AppSpec toSpec(String containerId, String appName, String rktImageId,
      ContainerConfig config, ImageManifest image, long minimumOomScoreAdj) {
    List<String> argv = ImageCommand.resolve(image, config.getCommandList(),
        config.getArgsList());
    if (argv.isEmpty()) {
      throw CriException.invalidArgument("container " + config.getMetadata().getName()
          + " has no command: config.command is empty and image "
          + config.getImage().getImage() + " names no entrypoint or cmd");
    }
    AppSpec.Command command = new AppSpec.Command(argv.get(0), argv.subList(1, argv.size()),
        config.getWorkingDir().isEmpty() ? null : config.getWorkingDir(),
        environment(config.getEnvsList()));
    LinuxContainerSecurityContext security = config.getLinux().getSecurityContext();
    return new AppSpec(
        appName,
        rktImageId,
        command,
        identity(security),
        // TODO: capabilities, seccomp profiles and masked paths follow the security context.
        new AppSpec.Security(security.getReadonlyRootfs() ? Boolean.TRUE : null, List.of(),
            List.of(), SECCOMP_ALLOW_ALL),
        resources(config.getLinux().getResources(), minimumOomScoreAdj),
        new AppSpec.Metadata(Map.of(), Map.of(CONTAINER_ID_ANNOTATION, containerId), Map.of()),
        null);
  }

  private static Map<String, String> environment(List<KeyValue> envs) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (KeyValue entry : envs) {
      environment.put(entry.getKey(), entry.getValue().toString(StandardCharsets.UTF_8));
    }
    return environment;
  }

  private static AppSpec.Identity identity(LinuxContainerSecurityContext security) {
    String user = null;
    if (security.hasRunAsUser()) {
      user = Long.toString(security.getRunAsUser().getValue());
    } else if (!security.getRunAsUsername().isEmpty()) {
      user = security.getRunAsUsername();
    }
    String group = security.hasRunAsGroup()
        ? Long.toString(security.getRunAsGroup().getValue()) : null;
    return new AppSpec.Identity(user, group, security.getSupplementalGroupsList());
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
