package io.rktlet.rkt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A pod as {@code rkt list --format=json} and {@code rkt status --format=json} print it. rkt
 * leaves optional keys out; absent lists and maps become empty ones here.
 *
 * @param createdAtSeconds creation time in Unix seconds (pods use seconds, apps nanoseconds)
 * @param startedAtSeconds start time in Unix seconds, or 0 when absent
 */
public record RktPod(
    @JsonProperty("name") String uuid,
    @JsonProperty("state") String state,
    @JsonProperty("networks") List<RktNetwork> networks,
    @JsonProperty("app_names") List<String> appNames,
    @JsonProperty("apps") List<RktApp> apps,
    @JsonProperty("created_at") long createdAtSeconds,
    @JsonProperty("started_at") long startedAtSeconds,
    @JsonProperty("user_annotations") Map<String, String> userAnnotations,
    @JsonProperty("user_labels") Map<String, String> userLabels) {

  public RktPod {
    networks = networks == null ? List.of() : List.copyOf(networks);
    appNames = appNames == null ? List.of() : List.copyOf(appNames);
    apps = apps == null ? List.of() : List.copyOf(apps);
    userAnnotations = userAnnotations == null ? Map.of() : Map.copyOf(userAnnotations);
    userLabels = userLabels == null ? Map.of() : Map.copyOf(userLabels);
  }

  /** True while the pod's process runs ({@code running}); every other state means it ended. */
  public boolean isRunning() {
    return "running".equals(state);
  }

  /** True before the pod has started running, while rkt is still preparing it. */
  public boolean isPreparing() {
    return state != null
        && (state.equals("embryo") || state.equals("preparing") || state.equals("prepared"));
  }

  /** Returns the first IPv4 address of the pod's networks, or null for host networking. */
  public String firstIp() {
    return networks.stream()
        .map(RktNetwork::ip)
        .filter(ip -> ip != null && !ip.isEmpty())
        .findFirst()
        .orElse(null);
  }

  public RktApp app(String name) {
    return apps.stream().filter(app -> name.equals(app.name())).findFirst().orElse(null);
  }
}
