package io.rktlet.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.rktlet.cri.v1.ContainerConfig;
import io.rktlet.cri.v1.PodSandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns records into JSON for the store. CRI configs are kept as their protobuf bytes (base64 in
 * the JSON), so every field the kubelet sent survives unchanged, including ones this version of
 * rktlet does not know.
 */
final class RecordCodec {
  private final ObjectMapper mapper;

  RecordCodec() {
    SimpleModule protobuf = new SimpleModule("protobuf-bytes");
    protobuf.addSerializer(Message.class, new MessageSerializer());
    protobuf.addDeserializer(PodSandboxConfig.class, new MessageDeserializer<>() {
      @Override
      PodSandboxConfig parse(byte[] bytes) throws InvalidProtocolBufferException {
        return PodSandboxConfig.parseFrom(bytes);
      }
    });
    protobuf.addDeserializer(ContainerConfig.class, new MessageDeserializer<>() {
      @Override
      ContainerConfig parse(byte[] bytes) throws InvalidProtocolBufferException {
        return ContainerConfig.parseFrom(bytes);
      }
    });
    mapper = new ObjectMapper()
        .registerModule(protobuf)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  String encode(Object record) {
    try {
      return mapper.writeValueAsString(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  <T> T decode(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode stored " + type.getSimpleName(), e);
    }
  }

  private static final class MessageSerializer extends JsonSerializer<Message> {
    @Override
    public void serialize(Message value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeBinary(value.toByteArray());
    }
  }

  private abstract static class MessageDeserializer<T extends Message>
      extends JsonDeserializer<T> {
    abstract T parse(byte[] bytes) throws InvalidProtocolBufferException;

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      return parse(parser.getBinaryValue());
    }
  }
}
