package io.rktlet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the CNI network that pods join exists. rkt's built-in networks ({@code default},
 * {@code default-restricted}) and {@code host} always exist; any other name must be declared
 * by a {@code .conf} or {@code .conflist} file in {@code <local-config>/net.d}.
 */
public final class NetworkCheck {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One check's outcome; reason and message are empty when ready. */
  public record Result(boolean ready, String reason, String message) {}

  private final String network;
  private final Path netDir;

  /**
   * @param network the configured network, or null for rkt's default
   * @param localConfig rkt's local configuration directory, or null for {@code /etc/rkt}
   */
  public NetworkCheck(String network, Path localConfig) {
    this.network = network;
    this.netDir = (localConfig == null ? Path.of("/etc/rkt") : localConfig).resolve("net.d");
  }

  public Result current() {
    if (network == null || isBuiltIn(network)) {
      return new Result(true, "", "");
    }
    if (declared(network)) {
      return new Result(true, "", "");
    }
    return new Result(false, "NetworkPluginNotReady",
        "CNI network \"" + network + "\" is not declared in " + netDir);
  }

  /** True for the networks that rkt has without a CNI configuration file. */
  public static boolean isBuiltIn(String network) {
    return network.equals("default") || network.equals("default-restricted")
        || network.equals("host");
  }

  private boolean declared(String name) {
    if (!Files.isDirectory(netDir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(netDir, "*.{conf,conflist}")) {
      for (Path file : files) {
        JsonNode json = MAPPER.readTree(file.toFile());
        if (json != null && name.equals(json.path("name").asText())) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
