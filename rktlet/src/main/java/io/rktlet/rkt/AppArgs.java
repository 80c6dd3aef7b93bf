package io.rktlet.rkt;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the arguments of {@code rkt app add} from an {@link AppSpec}. */
final class AppArgs {
  private AppArgs() {}

  static RktArgs add(RktArgs args, String uuid, AppSpec spec) {
    args.words("app", "add").positional(uuid).positional(spec.imageId());
    args.flag("name", spec.name());
    identity(args, spec.identity());
    security(args, spec.security());
    resources(args, spec.resources());
    metadata(args, spec.metadata());
    if (spec.stdio() != null) {
      args.flag("stdin", spec.stdio()).flag("stdout", spec.stdio()).flag("stderr", spec.stdio());
    }
    command(args, spec.command());
    return args;
  }

  private static void command(RktArgs args, AppSpec.Command command) {
    if (command == null) {
      return;
    }
    args.optionalFlag("working-dir", command.workingDir());
    command.environment().forEach((key, value) -> args.flag("environment", key + "=" + value));
    if (command.exec() != null) {
      args.flag("exec", command.exec());
      if (!command.args().isEmpty()) {
        // rkt ends an app's arguments at "---"; callers reject that word before it gets here.
        args.literalArguments(command.args());
      }
    }
  }

  private static void identity(RktArgs args, AppSpec.Identity identity) {
    if (identity == null) {
      return;
    }
    args.optionalFlag("user", identity.user()).optionalFlag("group", identity.group());
    if (!identity.supplementaryGids().isEmpty()) {
      args.flag("supplementary-gids", joined(identity.supplementaryGids()));
    }
  }

  private static void security(RktArgs args, AppSpec.Security security) {
    if (security == null) {
      return;
    }
    if (security.readOnlyRootfs() != null) {
      args.flag("readonly-rootfs", security.readOnlyRootfs().toString());
    }
    if (!security.capsRetain().isEmpty()) {
      args.flag("caps-retain", joined(security.capsRetain()));
    }
    if (!security.capsRemove().isEmpty()) {
      args.flag("caps-remove", joined(security.capsRemove()));
    }
    args.optionalFlag("seccomp", security.seccomp());
  }

  private static void resources(RktArgs args, AppSpec.Resources resources) {
    if (resources == null) {
      return;
    }
    args.optionalFlag("memory", resources.memory()).optionalFlag("cpu", resources.cpu());
    if (resources.cpuShares() != null) {
      args.flag("cpu-shares", resources.cpuShares().toString());
    }
    if (resources.oomScoreAdj() != null) {
      args.flag("oom-score-adj", resources.oomScoreAdj().toString());
    }
  }

  private static void metadata(RktArgs args, AppSpec.Metadata metadata) {
    if (metadata == null) {
      return;
    }
    keyValues(args, "annotation", metadata.annotations());
    keyValues(args, "user-annotation", metadata.userAnnotations());
    keyValues(args, "user-label", metadata.userLabels());
  }

  static void keyValues(RktArgs args, String flag, Map<String, String> entries) {
    entries.forEach((key, value) -> args.flag(flag, key + "=" + value));
  }

  private static String joined(List<?> values) {
    return values.stream().map(Object::toString).collect(Collectors.joining(","));
  }
}
