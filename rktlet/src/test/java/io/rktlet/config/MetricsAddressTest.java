package io.rktlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MetricsAddressTest {
  @TempDir
  Path dir;

  private RktletConfig resolve(String toml, String... args) throws IOException {
    Path file = Files.writeString(dir.resolve("rktlet.toml"), toml);
    Options options = new Options();
    String[] all = Stream.concat(Stream.of("--config=" + file), Stream.of(args))
        .toArray(String[]::new);
    new CommandLine(options).parseArgs(all);
    return ConfigResolver.resolve(options);
  }

  @Test
  void offByDefault() throws IOException {
    assertThat(resolve("").metricsAddress()).isNull();
  }

  @Test
  void fileSetsAddress() throws IOException {
    RktletConfig config = resolve("metrics_address = \"127.0.0.1:9100\"\n");

    assertThat(config.metricsAddress()).isEqualTo(new HostPort("127.0.0.1", 9100));
  }

  @Test
  void flagWinsOverFile() throws IOException {
    RktletConfig config = resolve("metrics_address = \"127.0.0.1:9100\"\n",
        "--metrics-address=[::1]:9200");

    assertThat(config.metricsAddress()).isEqualTo(new HostPort("::1", 9200));
    assertThat(config.metricsAddress().toString()).isEqualTo("[::1]:9200");
  }

  static Stream<Arguments> validAddresses() {
    return Stream.of(
        Arguments.of("loopback IPv4", "127.0.0.1:9100", "127.0.0.1", 9100),
        Arguments.of("any address", "0.0.0.0:0", "0.0.0.0", 0),
        Arguments.of("host name", "localhost:65535", "localhost", 65535),
        Arguments.of("bracketed IPv6", "[::1]:9100", "::1", 9100));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validAddresses")
  void parsesValidAddress(String description, String text, String host, int port) {
    assertThat(HostPort.parse("metrics address", text)).isEqualTo(new HostPort(host, port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9100", ":9100", "127.0.0.1:", "127.0.0.1:http", "::1:9100",
      "127.0.0.1:65536", "127.0.0.1:-1", "[]:9100"})
  void rejectsInvalidAddress(String text) {
    assertThatThrownBy(() -> HostPort.parse("metrics address", text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid metrics address \"" + text + "\"")
        .hasMessageContaining("expected HOST:PORT");
  }
}
