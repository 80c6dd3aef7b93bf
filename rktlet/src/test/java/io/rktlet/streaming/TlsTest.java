package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server with a self-signed certificate: https URLs, SPDY and WebSocket over TLS. */
class TlsTest {
  @TempDir Path tempDir;
  private TestServer server;
  private TestCertificate certificate;

  @BeforeEach
  void start() throws Exception {
    certificate = TestCertificate.create(tempDir);
    server = TestServer.start(
        TestServer.options().withTls(certificate.certificate(), certificate.key()),
        certificate.clientContext());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void urlsUseHttps() {
    String url = server.execUrl(List.of("true"), false, true, false, false);

    assertThat(url).matches("https://127\\.0\\.0\\.1:\\d+/exec/[A-Za-z0-9_-]{43}");
  }

  @Test
  void spdyExecOverTls() throws Exception {
    String url = server.execUrl(List.of("echo", "secure"), false, true, false, false);

    try (SpdyTestClient client =
        SpdyTestClient.connect(url, server.tls, List.of("v4.channel.k8s.io"))) {
      int error = client.openStream("streamType", "error");
      int stdout = client.openStream("streamType", "stdout");

      assertThat(client.readTextToEnd(stdout)).isEqualTo("secure\n");
      assertThat(client.readTextToEnd(error)).contains("Success");
    }
  }

  @Test
  void webSocketExecOverTls() throws Exception {
    String url = server.execUrl(List.of("echo", "secure"), false, true, false, false);

    WebSocketTestClient client =
        WebSocketTestClient.connect(url, server.tls, "v5.channel.k8s.io");
    Map<Integer, String> channels = client.readChannelsUntilClose();

    assertThat(channels.get(1)).isEqualTo("secure\n");
  }

  @Test
  void plainHttpIsRejected() {
    String url = server.execUrl(List.of("true"), false, true, false, false)
        .replace("https://", "http://");

    assertThatThrownBy(() -> SpdyTestClient.connect(url, null, List.of("v4.channel.k8s.io")))
        .isInstanceOf(IOException.class);
    assertThat(server.runtime.calls).isEmpty();
  }
}
