package io.rktlet.container;

import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.CreateContainerRequest;
import io.rktlet.cri.v1.KeyValue;
import io.rktlet.cri.v1.LinuxContainerSecurityContext;
import io.rktlet.cri.v1.Mount;
import io.rktlet.errors.CriException;
import io.rktlet.security.MountPropagationPolicy;
import io.rktlet.validation.Check;
import java.nio.file.Path;

/** Checks a CreateContainer request before anything is recorded or added to rkt. */
final class ContainerValidator {
  /** rkt ends an app's argument list at this word, so no argument may be exactly it. */
  static final String RKT_ARGS_TERMINATOR = "---";

  private ContainerValidator() {}

  static void validate(CreateContainerRequest request) {
    Check.required("pod_sandbox_id", request.getPodSandboxId());
    if (!request.hasConfig()) {
      throw CriException.invalidArgument("config must be set");
    }
    ContainerConfig config = request.getConfig();
    Check.required("config.metadata.name", config.getMetadata().getName());
    Check.text("config.metadata.name", config.getMetadata().getName(), 253);
    Check.required("config.image.image", config.getImage().getImage());
    Check.text("config.image.image", config.getImage().getImage(), 4096);
    arguments("config.command", config.getCommandList());
    arguments("config.args", config.getArgsList());
    if (!config.getWorkingDir().isEmpty()) {
      Check.absolutePath("config.working_dir", config.getWorkingDir());
    }
    for (int i = 0; i < config.getEnvsCount(); i++) {
      environment("config.envs[" + i + "]", config.getEnvs(i));
    }
    for (int i = 0; i < config.getMountsCount(); i++) {
      mount("config.mounts[" + i + "]", config.getMounts(i));
    }
    logPath(config.getLogPath());
    user(config.getLinux().getSecurityContext());
  }

  private static void arguments(String field, java.util.List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.indexOf('\0') >= 0) {
        throw Check.invalid(field + "[" + i + "]", word, "contains a NUL byte");
      }
      if (word.equals(RKT_ARGS_TERMINATOR)) {
        throw Check.invalid(field + "[" + i + "]", word,
            "rkt reads \"---\" as the end of an app's arguments");
      }
    }
  }

  private static void environment(String field, KeyValue entry) {
    String key = entry.getKey();
    if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
      throw Check.invalid(field + ".key", key, "must be non-empty without '=' or NUL");
    }
    if (containsNul(entry.getValue())) {
      throw Check.invalid(field + ".value", key + "=...", "contains a NUL byte");
    }
    if (!entry.getValue().isValidUtf8()) {
      throw Check.invalid(field + ".value", key + "=...", "is not valid UTF-8");
    }
  }

  private static boolean containsNul(com.google.protobuf.ByteString value) {
    for (int i = 0; i < value.size(); i++) {
      if (value.byteAt(i) == 0) {
        return true;
      }
    }
    return false;
  }

  private static void mount(String field, Mount mount) {
    Check.absolutePath(field + ".container_path", mount.getContainerPath());
    if (mount.hasImage() && !mount.getImage().getImage().isEmpty()) {
      throw Check.invalid(field + ".image", mount.getImage().getImage(),
          "image volumes are not supported by rktlet");
    }
    Check.absolutePath(field + ".host_path", mount.getHostPath());
    if (mount.getUidMappingsCount() > 0 || mount.getGidMappingsCount() > 0) {
      throw Check.invalid(field + ".uidMappings", mount.getUidMappingsCount() + " mappings",
          "idmapped mounts need user namespaces, which rkt app sandbox does not support");
    }
    MountPropagationPolicy.of(mount.getPropagation(), field);
    if (mount.getRecursiveReadOnly()) {
      throw Check.invalid(field + ".recursive_read_only", true,
          "recursive read-only mounts are not supported by rktlet");
    }
  }

  private static void logPath(String logPath) {
    if (logPath.isEmpty()) {
      return;
    }
    Check.text("config.log_path", logPath, 4096);
    Path path = Path.of(logPath);
    Path normalized = path.normalize();
    if (path.isAbsolute() || normalized.startsWith("..") || normalized.toString().isEmpty()) {
      throw Check.invalid("config.log_path", logPath,
          "must be a relative path that stays inside the sandbox's log_directory");
    }
  }

  private static void user(LinuxContainerSecurityContext security) {
    if (security.hasRunAsUser() && !security.getRunAsUsername().isEmpty()) {
      throw Check.invalid("config.linux.security_context.run_as_username",
          security.getRunAsUsername(), "run_as_user and run_as_username are exclusive");
    }
    if (security.hasRunAsGroup() && !security.hasRunAsUser()
        && security.getRunAsUsername().isEmpty()) {
      throw Check.invalid("config.linux.security_context.run_as_group",
          security.getRunAsGroup().getValue(), "requires run_as_user or run_as_username");
    }
    if (security.hasRunAsUser() && security.getRunAsUser().getValue() < 0) {
      throw Check.invalid("config.linux.security_context.run_as_user",
          security.getRunAsUser().getValue(), "must not be negative");
    }
    if (security.hasRunAsGroup() && security.getRunAsGroup().getValue() < 0) {
      throw Check.invalid("config.linux.security_context.run_as_group",
          security.getRunAsGroup().getValue(), "must not be negative");
    }
  }
}
