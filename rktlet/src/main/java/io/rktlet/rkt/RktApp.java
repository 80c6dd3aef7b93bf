package io.rktlet.rkt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An app as {@code rkt app status --format=json} prints it, or as an element of a pod's apps.
 * Times are Unix nanoseconds; rkt leaves a key out rather than print null, so absent numbers
 * are null here. Inside {@code rkt list} and {@code rkt status} output the times are the pod's,
 * not the app's.
 *
 * @param exitCode the recorded exit status; a process killed by signal N is recorded as N
 */
public record RktApp(
    @JsonProperty("name") String name,
    @JsonProperty("state") String state,
    @JsonProperty("created_at") Long createdAtNanos,
    @JsonProperty("started_at") Long startedAtNanos,
    @JsonProperty("finished_at") Long finishedAtNanos,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("image_id") String imageId,
    @JsonProperty("mounts") List<Map<String, Object>> mounts,
    @JsonProperty("user_annotations") Map<String, String> userAnnotations,
    @JsonProperty("user_labels") Map<String, String> userLabels) {

  public RktApp {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    userAnnotations = userAnnotations == null ? Map.of() : Map.copyOf(userAnnotations);
    userLabels = userLabels == null ? Map.of() : Map.copyOf(userLabels);
  }

  public boolean isRunning() {
    return "running".equals(state);
  }

  public boolean isExited() {
    return "exited".equals(state);
  }
}
