package io.rktlet.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.cri.v1.Image;
import io.rktlet.cri.v1.ImageSpec;
import io.rktlet.cri.v1.Int64Value;
import io.rktlet.state.ImageRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts image records into CRI messages. */
public final class CriImages {
  /** Key of the verbose ImageStatus entry, whose value is a JSON object. */
  public static final String INFO_KEY = "info";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CriImages() {}

  /**
   * Returns the CRI image. A numeric user becomes {@code uid} and a name becomes
   * {@code username}, as the CRI requires for the kubelet's runAsNonRoot check.
   */
  public static Image toImage(ImageRecord record) {
    Image.Builder image = Image.newBuilder()
        .setId(record.id())
        .addAllRepoTags(record.repoTags())
        .addAllRepoDigests(record.repoDigests())
        .setSize(record.sizeBytes())
        .setSpec(ImageSpec.newBuilder().setImage(record.id()))
        .setPinned(false);
    String user = userPart(record.user());
    if (!user.isEmpty()) {
      Long uid = parseUid(user);
      if (uid != null) {
        image.setUid(Int64Value.newBuilder().setValue(uid));
      } else {
        image.setUsername(user);
      }
    }
    return image.build();
  }

  /** Returns the verbose ImageStatus info: one JSON entry with the rkt images behind it. */
  public static Map<String, String> verboseInfo(ImageRecord record) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("rktImageIds", record.rktImageIds());
    info.put("sizeBytes", record.sizeBytes());
    info.put("user", record.user() == null ? "" : record.user());
    try {
      return Map.of(INFO_KEY, JSON.writeValueAsString(info));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode image info of " + record.id(), e);
    }
  }

  /** Returns the user of a {@code user[:group]} string, or empty. */
  private static String userPart(String user) {
    if (user == null) {
      return "";
    }
    int colon = user.indexOf(':');
    return colon < 0 ? user : user.substring(0, colon);
  }

  private static Long parseUid(String user) {
    if (!user.chars().allMatch(Character::isDigit)) {
      return null;
    }
    try {
      return Long.parseLong(user);
    } catch (NumberFormatException e) {
      // More digits than a long holds: no valid UID, so report it as a name.
      return null;
    }
  }
}
