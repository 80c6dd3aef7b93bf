package io.rktlet.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.state.SandboxRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON that verbose PodSandboxStatus returns under the key "info". */
final class SandboxInfo {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SandboxInfo() {}

  static String json(SandboxRecord record, SandboxFiles files) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("rktPodUuid", record.rktUuid());
    info.put("pid", record.podPid());
    info.put("phase", record.phase().name());
    info.put("hostNetwork", record.isHostNetwork());
    info.put("podOutput", files.outputFile(record.id()).toString());
    try {
      return MAPPER.writeValueAsString(info);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
