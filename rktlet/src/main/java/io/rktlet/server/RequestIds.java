package io.rktlet.server;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Picks the IDs a request or response is about (sandbox, container, image), so logs name them
 * without dumping whole messages.
 */
final class RequestIds {
  private static final Map<String, String> ID_FIELDS = Map.of(
      "pod_sandbox_id", "sandbox",
      "container_id", "container",
      "image_ref", "image");

  private RequestIds() {}

  static Map<String, String> of(Object message) {
    if (!(message instanceof Message)) {
      return Map.of();
    }
    Message proto = (Message) message;
    Map<String, String> ids = new LinkedHashMap<>();
    for (FieldDescriptor field : proto.getDescriptorForType().getFields()) {
      String key = ID_FIELDS.get(field.getName());
      if (key != null && field.getType() == FieldDescriptor.Type.STRING && !field.isRepeated()) {
        String value = (String) proto.getField(field);
        if (!value.isEmpty()) {
          ids.put(key, shorten(value));
        }
      }
    }
    imageOf(proto, ids);
    podNameOf(proto, ids);
    return ids;
  }

  static String format(Map<String, String> ids) {
    if (ids.isEmpty()) {
      return "";
    }
    return ids.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining(" ", " (", ")"));
  }

  private static void imageOf(Message proto, Map<String, String> ids) {
    FieldDescriptor image = proto.getDescriptorForType().findFieldByName("image");
    if (image != null && image.getType() == FieldDescriptor.Type.MESSAGE && proto.hasField(image)) {
      Message spec = (Message) proto.getField(image);
      FieldDescriptor reference = spec.getDescriptorForType().findFieldByName("image");
      if (reference != null) {
        ids.put("image", (String) spec.getField(reference));
      }
    }
  }

  /** Names the pod of RunPodSandbox and the container of CreateContainer from their metadata. */
  private static void podNameOf(Message proto, Map<String, String> ids) {
    FieldDescriptor config = proto.getDescriptorForType().findFieldByName("config");
    if (config == null || config.getType() != FieldDescriptor.Type.MESSAGE
        || !proto.hasField(config)) {
      return;
    }
    Message configMessage = (Message) proto.getField(config);
    FieldDescriptor metadata = configMessage.getDescriptorForType().findFieldByName("metadata");
    if (metadata == null || !configMessage.hasField(metadata)) {
      return;
    }
    Message meta = (Message) configMessage.getField(metadata);
    FieldDescriptor name = meta.getDescriptorForType().findFieldByName("name");
    FieldDescriptor namespace = meta.getDescriptorForType().findFieldByName("namespace");
    String text = (String) meta.getField(name);
    if (namespace != null) {
      text = meta.getField(namespace) + "/" + text;
    }
    ids.put("name", text);
  }

  private static String shorten(String id) {
    return id.length() > 13 ? id.substring(0, 13) : id;
  }
}
