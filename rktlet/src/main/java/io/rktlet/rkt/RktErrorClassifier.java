package io.rktlet.rkt;

import java.util.List;
import java.util.Locale;

/**
 * Tells rkt failures apart by their stderr text, because rkt exits 254 for almost every error.
 * Each pattern has an example line recorded from rkt 1.30.0 above it.
 */
public final class RktErrorClassifier {

  private record Pattern(String fragment, RktFailure failure) {}

  private static final List<Pattern> PATTERNS =
      List.of(
          // status: problem retrieving pod: no matches found for "00000000-0000-..."
          new Pattern("no matches found for", RktFailure.POD_NOT_FOUND),
          // status: problem retrieving pod: ambiguous uuid, 2 matches
          new Pattern("ambiguous uuid", RktFailure.AMBIGUOUS_UUID),
          // status: cannot find app "nope" in the pod
          new Pattern("cannot find app", RktFailure.APP_NOT_FOUND),
          // start: error starting app: error: nonexistent app "nope"
          new Pattern("nonexistent app", RktFailure.APP_NOT_FOUND),
          // Error: Unable to fopen "/rkt/env/nope": No such file or directory
          new Pattern("unable to fopen \"/rkt/env/", RktFailure.APP_NOT_FOUND),
          // add: error adding app to pod: error: multiple apps with name x
          new Pattern("multiple apps with name", RktFailure.APP_ALREADY_EXISTS),
          // add: error adding app to pod: ACName must contain only lower case alphanumeric ...
          new Pattern("acname must", RktFailure.INVALID_APP_NAME),
          // add: pod "c6fa11d3-..." isn't currently running
          new Pattern("isn't currently running", RktFailure.POD_NOT_RUNNING),
          // rm: pod "0acd98f3-..." is currently running
          new Pattern("is currently running", RktFailure.POD_RUNNING),
          // add: error finding images: ... either image was not found in the store or ...
          new Pattern("not found in the store", RktFailure.IMAGE_NOT_FOUND),
          // add: error finding images: no image IDs found
          new Pattern("no image ids found", RktFailure.IMAGE_NOT_FOUND),
          // fetch: attempted fallback to API v1 but not supported
          new Pattern("attempted fallback to api v1", RktFailure.IMAGE_NOT_IN_REGISTRY),
          // fetch: Get "https://127.0.0.1:5066/v2/": http: server gave HTTP response to HTTPS client
          new Pattern("server gave http response to https client", RktFailure.REGISTRY_NOT_HTTPS),
          // fetch: Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused
          new Pattern("connection refused", RktFailure.REGISTRY_UNREACHABLE),
          new Pattern("dial tcp", RktFailure.REGISTRY_UNREACHABLE),
          // NOTE: not recorded from rkt; a registry that rejects credentials answers HTTP 401.
          new Pattern("http code: 401", RktFailure.REGISTRY_UNAUTHORIZED),
          new Pattern("401 unauthorized", RktFailure.REGISTRY_UNAUTHORIZED),
          new Pattern("unauthorized", RktFailure.REGISTRY_UNAUTHORIZED));

  private RktErrorClassifier() {}

  /** Returns the failure kind that the first matching pattern names, or UNKNOWN. */
  public static RktFailure classify(String stderr) {
    String text = stderr.toLowerCase(Locale.ROOT);
    for (Pattern pattern : PATTERNS) {
      if (text.contains(pattern.fragment())) {
        return pattern.failure();
      }
    }
    return RktFailure.UNKNOWN;
  }
}
