package io.rktlet.image;

import io.rktlet.errors.CriException;
import io.rktlet.rkt.RktException;
import java.util.List;
import java.util.stream.Collectors;

/** Converts the failure of the last endpoint a pull tried into the CRI error for the kubelet. */
final class PullErrors {
  private PullErrors() {}

  static CriException toCri(ImageReference reference, List<RegistryEndpoint> tried,
      RktException failure) {
    RegistryEndpoint last = tried.get(tried.size() - 1);
    String triedNote = tried.size() > 1 ? " (tried " + describe(tried) + ")" : "";
    String reason = failure.reason();
    switch (failure.failure()) {
      case IMAGE_NOT_IN_REGISTRY:
        return CriException.notFound("image " + reference + " not found in " + last.describe()
            + triedNote);
      case REGISTRY_UNREACHABLE:
        return CriException.unavailable("failed to pull image " + reference + ": "
            + last.describe() + " is unreachable" + triedNote + ": " + reason, failure);
      case REGISTRY_UNAUTHORIZED:
        return CriException.permissionDenied("failed to pull image " + reference + ": "
            + last.describe() + " rejected the request as unauthorized; check the pull "
            + "credentials (imagePullSecrets)" + triedNote + ": " + reason);
      case REGISTRY_NOT_HTTPS:
        String fix = last.mirror()
            ? "give the mirror URL with http:// if that is intended"
            : "configure " + reference.host() + " as an insecure registry if that is intended";
        return CriException.unknown("failed to pull image " + reference + ": " + last.describe()
            + " answered an HTTPS request with plain HTTP; " + fix + triedNote, failure);
      case TIMEOUT:
        return CriException.deadlineExceeded("pulling image " + reference + " from "
            + last.describe() + " timed out" + triedNote, failure);
      default:
        return CriException.unknown("failed to pull image " + reference + " from "
            + last.describe() + triedNote, failure);
    }
  }

  private static String describe(List<RegistryEndpoint> endpoints) {
    return endpoints.stream().map(RegistryEndpoint::describe).collect(Collectors.joining(", "));
  }
}
