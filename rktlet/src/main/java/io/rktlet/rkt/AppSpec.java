package io.rktlet.rkt;

import java.util.List;
import java.util.Map;

/**
 * Flags of {@code rkt app add}, grouped by concern. Null fields are left out of the command
 * line.
 *
 * @param imageId store ID of the app's image ({@code sha512-...})
 * @param stdio value for {@code --stdin}, {@code --stdout} and {@code --stderr}, or null
 */
public record AppSpec(
    String name,
    String imageId,
    Command command,
    Identity identity,
    Security security,
    Resources resources,
    Metadata metadata,
    String stdio) {

  /**
   * What the app runs.
   *
   * @param exec program to run instead of the image's, or null
   * @param args arguments of the program, passed after {@code --}
   * @param environment variables in the order given
   */
  public record Command(
      String exec, List<String> args, String workingDir, Map<String, String> environment) {
    public Command {
      args = args == null ? List.of() : List.copyOf(args);
      environment = environment == null ? Map.of() : environment;
    }
  }

  /** The numeric or named user and group the app runs as. */
  public record Identity(String user, String group, List<Long> supplementaryGids) {
    public Identity {
      supplementaryGids = supplementaryGids == null ? List.of() : List.copyOf(supplementaryGids);
    }
  }

  /**
   * Capabilities, seccomp and the root filesystem.
   *
   * @param seccomp value of {@code --seccomp}, for example {@code mode=retain,@appc.io/all}
   */
  public record Security(
      Boolean readOnlyRootfs, List<String> capsRetain, List<String> capsRemove, String seccomp) {
    public Security {
      capsRetain = capsRetain == null ? List.of() : List.copyOf(capsRetain);
      capsRemove = capsRemove == null ? List.of() : List.copyOf(capsRemove);
    }
  }

  /**
   * rkt isolators.
   *
   * @param memory memory limit in rkt's notation, for example {@code 32M}
   * @param cpu CPU limit in rkt's notation, for example {@code 250m}
   */
  public record Resources(String memory, String cpu, Long cpuShares, Long oomScoreAdj) {}

  /** Annotations and labels stored with the app. */
  public record Metadata(
      Map<String, String> annotations,
      Map<String, String> userAnnotations,
      Map<String, String> userLabels) {
    public Metadata {
      annotations = annotations == null ? Map.of() : annotations;
      userAnnotations = userAnnotations == null ? Map.of() : userAnnotations;
      userLabels = userLabels == null ? Map.of() : userLabels;
    }
  }
}
