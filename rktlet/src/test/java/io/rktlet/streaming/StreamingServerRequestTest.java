package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.PortForwardRequest;
import io.rktlet.errors.CriException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The three CRI calls: request validation, target checks, URLs and their tokens. */
class StreamingServerRequestTest {
  private static final String ID = TestServer.CONTAINER_ID;
  private static final List<String> V4 = List.of("v4.channel.k8s.io");

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static Stream<Arguments> invalidRequests() {
    ExecRequest exec = ExecRequest.newBuilder().setContainerId(ID).addCmd("ls")
        .setStdout(true).build();
    AttachRequest attach = AttachRequest.newBuilder().setContainerId(ID).setStdout(true).build();
    PortForwardRequest portForward = PortForwardRequest.newBuilder()
        .setPodSandboxId(TestServer.SANDBOX_ID).addPort(80).build();
    return Stream.of(
        invalid("exec without container ID", "container_id is empty",
            server -> server.exec(exec.toBuilder().setContainerId("").build())),
        invalid("exec without command", "cmd is empty",
            server -> server.exec(exec.toBuilder().clearCmd().build())),
        invalid("exec with tty and stderr", "tty and stderr are both set",
            server -> server.exec(exec.toBuilder().setTty(true).setStderr(true).build())),
        invalid("exec without streams", "none of stdin, stdout and stderr is set",
            server -> server.exec(exec.toBuilder().setStdout(false).build())),
        invalid("attach without container ID", "container_id is empty",
            server -> server.attach(attach.toBuilder().setContainerId("").build())),
        invalid("attach with tty and stderr", "tty and stderr are both set",
            server -> server.attach(attach.toBuilder().setTty(true).setStderr(true).build())),
        invalid("attach without streams", "none of stdin, stdout and stderr is set",
            server -> server.attach(attach.toBuilder().setStdout(false).build())),
        invalid("port forward without sandbox ID", "pod_sandbox_id is empty",
            server -> server.portForward(portForward.toBuilder().setPodSandboxId("").build())),
        invalid("port forward to port 0", "port 0 is out of range",
            server -> server.portForward(portForward.toBuilder().addPort(0).build())),
        invalid("port forward to port 65536", "port 65536 is out of range",
            server -> server.portForward(portForward.toBuilder().addPort(65536).build())));
  }

  private static Arguments invalid(String description, String message,
      Consumer<StreamingServer> call) {
    return Arguments.of(description, message, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequestIsRejected(String description, String message,
      Consumer<StreamingServer> call) throws Exception {
    server = TestServer.start();

    assertThatThrownBy(() -> call.accept(server.server))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  @Test
  void missingContainerIsNotFound() throws Exception {
    server = TestServer.start();
    server.targets.containers.put(ID, StreamTargets.State.NOT_FOUND);

    assertThatThrownBy(() -> server.execUrl(List.of("ls"), false, true, false, false))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessage("container " + ID + " not found");
  }

  @Test
  void stoppedContainerIsFailedPrecondition() throws Exception {
    server = TestServer.start();
    server.targets.containers.put(ID, StreamTargets.State.NOT_RUNNING);

    assertThatThrownBy(() -> server.attachUrl(false, true, false, false))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("is not running");
  }

  @Test
  void sandboxStatesAreChecked() throws Exception {
    server = TestServer.start();
    server.targets.sandboxes.put(TestServer.SANDBOX_ID, StreamTargets.State.NOT_FOUND);

    assertThatThrownBy(() -> server.portForwardUrl(80))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.NOT_FOUND));

    server.targets.sandboxes.put(TestServer.SANDBOX_ID, StreamTargets.State.NOT_RUNNING);
    assertThatThrownBy(() -> server.portForwardUrl(80))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void attachMustMatchContainerTty() throws Exception {
    server = TestServer.start();
    server.targets.containerTtys.put(ID, true);

    assertThatThrownBy(() -> server.attachUrl(true, true, false, false))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("was created with tty=true");
    assertThat(server.attachUrl(true, true, false, true)).contains("/attach/");
  }

  @Test
  void urlsNameKindAndToken() throws Exception {
    server = TestServer.start();

    String exec = server.execUrl(List.of("ls"), false, true, false, false);
    String attach = server.attachUrl(false, true, false, false);
    String portForward = server.portForwardUrl(80);

    String base = "http://127\\.0\\.0\\.1:\\d+/";
    assertThat(exec).matches(base + "exec/[A-Za-z0-9_-]{43}");
    assertThat(attach).matches(base + "attach/[A-Za-z0-9_-]{43}");
    assertThat(portForward).matches(base + "portforward/[A-Za-z0-9_-]{43}");
  }

  @Test
  void tokenWorksOnce() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    try (SpdyTestClient first = SpdyTestClient.connect(url, null, V4);
        SpdyTestClient second = SpdyTestClient.connect(url, null, V4)) {
      assertThat(first.response().status()).isEqualTo(101);
      assertThat(second.response().status()).isEqualTo(404);
      assertThat(second.response().body()).contains("not found, already used or expired");
    }
  }

  @Test
  void tokenExpiresAfterOneMinute() throws Exception {
    server = TestServer.start();
    String fresh = server.execUrl(List.of("true"), false, true, false, false);
    server.clock.advance(Duration.ofSeconds(30));
    String older = server.execUrl(List.of("true"), false, true, false, false);

    server.clock.advance(Duration.ofSeconds(31));

    try (SpdyTestClient expired = SpdyTestClient.connect(fresh, null, V4);
        SpdyTestClient valid = SpdyTestClient.connect(older, null, V4)) {
      assertThat(expired.response().status()).isEqualTo(404);
      assertThat(valid.response().status()).isEqualTo(101);
    }
  }

  @Test
  void tokenOfOtherKindIsNotFound() throws Exception {
    server = TestServer.start();
    String exec = server.execUrl(List.of("true"), false, true, false, false);

    try (SpdyTestClient client =
        SpdyTestClient.connect(exec.replace("/exec/", "/attach/"), null, V4)) {
      assertThat(client.response().status()).isEqualTo(404);
    }
  }

  @Test
  void pendingTokensAreBounded() throws Exception {
    server = TestServer.start(TestServer.options().withMaxPendingTokens(2));
    server.execUrl(List.of("true"), false, true, false, false);
    server.execUrl(List.of("true"), false, true, false, false);

    assertThatThrownBy(() -> server.execUrl(List.of("true"), false, true, false, false))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("maximum 2");

    server.clock.advance(Duration.ofMinutes(1));
    assertThat(server.execUrl(List.of("true"), false, true, false, false)).contains("/exec/");
  }

  @Test
  void unknownPathIsNotFound() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    try (SpdyTestClient client =
        SpdyTestClient.connect(url.replace("/exec/", "/logs/"), null, V4)) {
      assertThat(client.response().status()).isEqualTo(404);
    }
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    server = TestServer.start();
    String url = server.execUrl(List.of("true"), false, true, false, false);

    try (SpdyTestClient client = SpdyTestClient.connect(url, null, "PUT", Map.of())) {
      assertThat(client.response().status()).isEqualTo(405);
      assertThat(client.response().header("Allow")).isEqualTo("GET, POST");
    }
  }

  @Test
  void stoppedServerIssuesNoUrls() throws Exception {
    server = TestServer.start();
    server.server.stop();

    assertThatThrownBy(() -> server.execUrl(List.of("true"), false, true, false, false))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void serverBindsConfiguredAddress() throws Exception {
    StreamingServer bound = new StreamingServer(
        StreamingOptions.defaults().withAddress("[::1]:0"), new ProcessRuntime(),
        new FakeTargets());
    try {
      InetSocketAddress address = bound.start();

      assertThat(address.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
      assertThat(bound.exec(ExecRequest.newBuilder().setContainerId(ID).addCmd("ls")
          .setStdout(true).build()).getUrl())
          .startsWith("http://[::1]:" + address.getPort() + "/exec/");
    } finally {
      bound.stop();
    }
  }
}
