package io.rktlet.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.Main;
import io.rktlet.process.DefaultProcessRunner;
import io.rktlet.rkt.SandboxSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rktlet check} running the rkt test double as a real process. */
class CheckWithFakeRktTest {
  private static final Path FAKE_RKT =
      Path.of(System.getProperty("rktlet.fakeRkt", "src/test/fake-rkt/rkt")).toAbsolutePath();

  @TempDir
  Path dir;

  @Test
  void fakeRktPassesRktChecks() {
    FixtureHost host = new FixtureHost(dir);
    host.rktBinary = FAKE_RKT;
    host.stage1ByHandler.put("host", new SandboxSpec.Stage1(SandboxSpec.Stage1.Kind.NAME,
        "coreos.com/rkt/stage1-host:1.30.0"));
    HostChecker checker = new HostChecker(host.config(), host.roots(),
        new DefaultProcessRunner(), path -> 1L << 40, Duration.ofSeconds(30));

    List<CheckResult> results = checker.run();

    assertThat(results.get(0).line())
        .isEqualTo("ok    rkt-binary         rkt 1.30.0 at " + FAKE_RKT);
    assertThat(results.get(1).line())
        .isEqualTo("ok    rkt-app-api        RKT_EXPERIMENT_APP=true enables rkt app");
    // The test double's image store starts empty.
    assertThat(results.get(3).line()).startsWith("FAIL  stage1 host        "
        + "name:coreos.com/rkt/stage1-host:1.30.0 is not in rkt's image store.");
  }

  @Test
  void optionsBeforeCheckRejected() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));

    int exitStatus = command.execute("--rkt=" + FAKE_RKT, "check");

    assertThat(exitStatus).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("options must follow the word check, for example: rktlet check "
            + "--config=FILE");
  }

  @Test
  void checkHelpListsServerOptions() {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new Main()).setOut(new PrintWriter(out));

    int exitStatus = command.execute("check", "--help");

    assertThat(exitStatus).isZero();
    assertThat(out.toString()).startsWith("Usage: rktlet check ");
    assertThat(out.toString()).contains("--config=FILE", "--rkt=PATH", "--metrics-address");
  }
}
