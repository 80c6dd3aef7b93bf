package io.rktlet.container;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.rkt.ImageManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a container's command line the way Kubernetes defines it: {@code command} replaces
 * the image's ENTRYPOINT and {@code args} its CMD; a command without args drops the image's CMD.
 * rkt's docker conversion stores ENTRYPOINT and CMD as JSON arrays in the annotations
 * {@code appc.io/docker/entrypoint} and {@code appc.io/docker/cmd}, and their concatenation as
 * the app's exec.
 */
public final class ImageCommand {
  static final String ENTRYPOINT = "appc.io/docker/entrypoint";
  static final String CMD = "appc.io/docker/cmd";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ImageCommand() {}

  /** Returns the full argument vector, possibly empty when neither side names a program. */
  public static List<String> resolve(ImageManifest image, List<String> command,
      List<String> args) {
    List<String> entrypoint = jsonList(image.annotation(ENTRYPOINT));
    List<String> cmd = jsonList(image.annotation(CMD));
    if (entrypoint.isEmpty() && cmd.isEmpty() && image.app() != null) {
      // Not a docker image, or one converted without the annotations: exec is all we have.
      cmd = image.app().exec();
    }
    List<String> argv = new ArrayList<>();
    if (!command.isEmpty()) {
      argv.addAll(command);
      argv.addAll(args);
    } else {
      argv.addAll(entrypoint);
      argv.addAll(args.isEmpty() ? cmd : args);
    }
    return argv;
  }

  private static List<String> jsonList(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      List<String> list = MAPPER.readValue(json, new TypeReference<List<String>>() {});
      return list == null ? List.of() : list;
    } catch (IOException e) {
      throw new IllegalStateException("image annotation is not a JSON list of strings: " + json,
          e);
    }
  }
}
