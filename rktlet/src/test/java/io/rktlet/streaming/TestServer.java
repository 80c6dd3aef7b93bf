package io.rktlet.streaming;

import io.rktlet.cri.v1.AttachRequest;
import io.rktlet.cri.v1.ExecRequest;
import io.rktlet.cri.v1.PortForwardRequest;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A started streaming server over {@link ProcessRuntime}, for one test. */
final class TestServer implements AutoCloseable {
  static final String CONTAINER_ID =
      "4f0c2a6d8e1b3c5a7f9d0e2b4c6a8f1d3e5b7c9a0f2d4e6b8c1a3f5d7e9b0c2a";
  static final String SANDBOX_ID =
      "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";

  final ProcessRuntime runtime = new ProcessRuntime();
  final FakeTargets targets = new FakeTargets();
  final MutableClock clock = new MutableClock();
  final StreamingServer server;
  final SSLContext tls;

  private TestServer(StreamingOptions options, SSLContext tls) {
    this.server = new StreamingServer(options, runtime, targets, clock);
    this.tls = tls;
  }

  static TestServer start() throws Exception {
    return start(options());
  }

  static TestServer start(StreamingOptions options) throws Exception {
    return start(options, null);
  }

  static TestServer start(StreamingOptions options, SSLContext tls) throws Exception {
    TestServer testServer = new TestServer(options, tls);
    testServer.server.start();
    return testServer;
  }

  /** Defaults with a short grace period, so that sessions end quickly. */
  static StreamingOptions options() {
    return StreamingOptions.defaults().withCloseGracePeriod(Duration.ofMillis(500));
  }

  String execUrl(List<String> command, boolean stdin, boolean stdout, boolean stderr,
      boolean tty) {
    return server.exec(ExecRequest.newBuilder().setContainerId(CONTAINER_ID)
        .addAllCmd(command).setStdin(stdin).setStdout(stdout).setStderr(stderr).setTty(tty)
        .build()).getUrl();
  }

  String attachUrl(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    return server.attach(AttachRequest.newBuilder().setContainerId(CONTAINER_ID)
        .setStdin(stdin).setStdout(stdout).setStderr(stderr).setTty(tty).build()).getUrl();
  }

  String portForwardUrl(Integer... ports) {
    return server.portForward(PortForwardRequest.newBuilder().setPodSandboxId(SANDBOX_ID)
        .addAllPort(List.of(ports)).build()).getUrl();
  }

  @Override
  public void close() {
    server.stop();
    runtime.killAll();
  }
}
