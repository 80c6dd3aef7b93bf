package io.rktlet.container;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.KeyValue;
import io.rktlet.rkt.ImageManifest;
import io.rktlet.security.SecurityPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the supervisor's settings and the container's environment. */
final class SupervisorSpecs {
  private SupervisorSpecs() {}

  /**
   * Returns the lines of the supervisor's {@code spec} file.
   *
   * @param logPath the container's log file on the host, or null for no log
   */
  static List<String> lines(ContainerConfig config, ImageManifest image, SecurityPlan plan,
      String logPath) {
    List<String> lines = new ArrayList<>(plan.supervisorLines());
    lines.add("cwd=" + workingDirectory(config, image));
    lines.add("tty=" + flag(config.getTty()));
    lines.add("stdin=" + flag(config.getStdin()));
    lines.add("stdin_once=" + flag(config.getStdin() && config.getStdinOnce()));
    if (plan.readOnlyRootfs()) {
      lines.add("readonly_rootfs=1");
    }
    if (logPath == null) {
      lines.add("log=0");
    } else {
      lines.add("log=1");
      lines.add("log_file=" + Path.of(logPath).getFileName());
    }
    return lines;
  }

  /** Returns the image's environment with the CRI's entries added or replacing them. */
  static Map<String, String> environment(ContainerConfig config, ImageManifest image) {
    Map<String, String> environment = new LinkedHashMap<>();
    if (image.app() != null) {
      image.app().environment().forEach(entry -> environment.put(entry.name(), entry.value()));
    }
    for (KeyValue entry : config.getEnvsList()) {
      environment.put(entry.getKey(), entry.getValue().toString(StandardCharsets.UTF_8));
    }
    return environment;
  }

  private static String workingDirectory(ContainerConfig config, ImageManifest image) {
    if (!config.getWorkingDir().isEmpty()) {
      return config.getWorkingDir();
    }
    if (image.app() != null && image.app().workingDirectory() != null) {
      return image.app().workingDirectory();
    }
    return "/";
  }

  private static String flag(boolean value) {
    return value ? "1" : "0";
  }
}
