package io.rktlet.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.state.ContainerRecord;
import io.rktlet.state.StateIndex;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON that verbose ContainerStatus returns under the key "info". */
final class ContainerInfo {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ContainerInfo() {}

  static String json(ContainerRecord record, StateIndex index) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("sandboxId", record.sandboxId());
    info.put("rktPodUuid", index.sandbox(record.sandboxId()).map(s -> s.rktUuid()).orElse(null));
    info.put("rktAppName", record.appName());
    info.put("rktImageId", record.rktImageId());
    info.put("phase", record.phase().name());
    info.put("mountTargets", record.mountTargets());
    try {
      return MAPPER.writeValueAsString(info);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
