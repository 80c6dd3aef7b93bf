package io.rktlet.rkt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** Parses rkt's JSON output into records. */
public final class RktJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RktJson() {}

  /** Parses {@code rkt list --format=json}, which prints {@code null} when there are no pods. */
  public static List<RktPod> pods(String json) {
    List<RktPod> pods = read(json, new TypeReference<List<RktPod>>() {});
    return pods == null ? List.of() : pods;
  }

  public static RktPod pod(String json) {
    return read(json, new TypeReference<RktPod>() {});
  }

  public static RktApp app(String json) {
    return read(json, new TypeReference<RktApp>() {});
  }

  /** Parses {@code rkt image list --format=json}; {@code null} means an empty store. */
  public static List<RktImage> images(String json) {
    List<RktImage> images = read(json, new TypeReference<List<RktImage>>() {});
    return images == null ? List.of() : images;
  }

  public static ImageManifest manifest(String json) {
    return read(json, new TypeReference<ImageManifest>() {});
  }

  private static <T> T read(String json, TypeReference<T> type) {
    String trimmed = json.strip();
    if (trimmed.isEmpty() || trimmed.equals("null")) {
      return null;
    }
    try {
      return MAPPER.readValue(trimmed, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot parse rkt JSON output: " + e.getOriginalMessage()
          + "; output starts with: " + trimmed.substring(0, Math.min(200, trimmed.length())), e);
    }
  }
}
