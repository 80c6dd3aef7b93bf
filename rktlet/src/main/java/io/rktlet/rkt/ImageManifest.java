package io.rktlet.rkt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The parts of an appc image manifest ({@code rkt image cat-manifest}) that rktlet reads. */
public record ImageManifest(
    @JsonProperty("name") String name,
    @JsonProperty("labels") List<NameValue> labels,
    @JsonProperty("app") App app,
    @JsonProperty("annotations") List<NameValue> annotations) {

  /** Annotation holding the registry manifest digest of a docker image. */
  public static final String MANIFEST_HASH = "appc.io/docker/manifesthash";

  /** Annotation holding the reference the image was fetched as. */
  public static final String ORIGINAL_NAME = "appc.io/docker/originalname";

  public ImageManifest {
    labels = labels == null ? List.of() : List.copyOf(labels);
    annotations = annotations == null ? List.of() : List.copyOf(annotations);
  }

  /** A name and value pair, the form of appc labels, annotations and environment entries. */
  public record NameValue(@JsonProperty("name") String name, @JsonProperty("value") String value) {}

  /** The image's default app: command, user, group, working directory and environment. */
  public record App(
      @JsonProperty("exec") List<String> exec,
      @JsonProperty("user") String user,
      @JsonProperty("group") String group,
      @JsonProperty("workingDirectory") String workingDirectory,
      @JsonProperty("environment") List<NameValue> environment) {

    public App {
      exec = exec == null ? List.of() : List.copyOf(exec);
      environment = environment == null ? List.of() : List.copyOf(environment);
    }
  }

  public String annotation(String key) {
    return find(annotations, key);
  }

  public String label(String key) {
    return find(labels, key);
  }

  private static String find(List<NameValue> entries, String key) {
    return entries.stream()
        .filter(entry -> key.equals(entry.name()))
        .map(NameValue::value)
        .findFirst()
        .orElse(null);
  }
}
