package io.rktlet.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.config.RktletConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON that verbose Status returns: the effective configuration, without secrets. */
final class StatusInfo {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusInfo() {}

  static String json(RktletConfig config, String podCidr) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("rktBinary", config.rkt().binary().toString());
    info.put("rktDataDir", config.rkt().dataDir().toString());
    info.put("stateDir", config.stateDir().toString());
    info.put("network", config.rkt().network() == null ? "default" : config.rkt().network());
    info.put("cgroupDriver", config.host().cgroupDriver().name().toLowerCase());
    info.put("sandboxLauncher", config.host().launcher().name().toLowerCase());
    info.put("runtimeHandlers", config.rkt().stage1ByHandler().keySet());
    info.put("registries", config.registries().keySet());
    info.put("podCidr", podCidr);
    try {
      return MAPPER.writeValueAsString(info);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
