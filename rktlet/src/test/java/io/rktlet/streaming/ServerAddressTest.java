package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerAddressTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "127.0.0.1:0, 127.0.0.1, 0",
      "localhost:10010, localhost, 10010",
      "'[::1]:8080', ::1, 8080",
      "0.0.0.0:443, 0.0.0.0, 443"})
  void parsesHostAndPort(String text, String host, int port) {
    assertThat(ServerAddress.parse(text)).isEqualTo(new ServerAddress(host, port));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.1", ":80", "localhost:", "host:http", "host:70000"})
  void rejectsInvalidAddress(String text) {
    assertThatThrownBy(() -> ServerAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "127.0.0.1:0, 127.0.0.1, 127.0.0.1",
      "localhost:0, 127.0.0.1, localhost",
      "0.0.0.0:0, 0.0.0.0, 127.0.0.1",
      "'[::]:0', ::, '[::1]'",
      "'[::1]:0', ::1, '[::1]'"})
  void urlHostUsesLoopbackForWildcard(String configured, String bound, String urlHost) {
    InetSocketAddress boundAddress = new InetSocketAddress(bound, 1234);

    assertThat(ServerAddress.parse(configured).urlHost(boundAddress)).isEqualTo(urlHost);
  }
}
