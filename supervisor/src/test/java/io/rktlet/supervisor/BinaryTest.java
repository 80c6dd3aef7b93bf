package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties of the built binary that let it run inside any image and under rkt's seccomp filter. */
class BinaryTest extends SupervisorTestSupport {

  static boolean onPath(String program) {
    return List.of("/usr/bin", "/bin", "/usr/sbin").stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  @Test
  void binaryIsClasspathResource() {
    assertThat(getClass().getResource("/io/rktlet/supervisor/supervisor-linux-amd64")).isNotNull();
  }

  @Test
  void binaryHasNoDynamicSection() {
    assumeTrue(onPath("readelf"), "readelf (binutils) is not installed");

    Processes.Result result = processes.run(List.of("readelf", "-d", ContainerDir.BINARY.toString()),
        null, null, tempDir);

    assertThat(result.stdout()).contains("There is no dynamic section in this file.");
  }

  @Test
  void childIsForkedWithCloneNotClone3() throws IOException {
    assumeTrue(onPath("strace"), "strace is not installed");
    Path trace = tempDir.resolve("trace");
    container.command("/bin/true");
    container.writeSpec();

    Processes.Result result = processes.run(List.of("strace", "-f", "-qq", "-o", trace.toString(),
        "-e", "trace=clone,clone3,fork,vfork", container.supervisor().toString(), "run"),
        SUPERVISOR_ENVIRONMENT, null, tempDir);

    String calls = Files.readString(trace);
    assertThat(result.exitCode()).isZero();
    assertThat(calls).contains("clone(").doesNotContain("clone3(");
  }

  @Test
  void ttyExecForksWithCloneNotClone3() throws IOException {
    assumeTrue(onPath("strace"), "strace is not installed");
    Path trace = tempDir.resolve("trace");
    container.writeSpec();

    Processes.Result result = processes.run(List.of("strace", "-f", "-qq", "-o", trace.toString(),
        "-e", "trace=clone,clone3,fork,vfork", container.supervisor().toString(), "exec",
        "--no-cgroup-wait", "--tty", "--", "/bin/true"), SUPERVISOR_ENVIRONMENT, null, tempDir);

    String calls = Files.readString(trace);
    assertThat(result.exitCode()).isZero();
    assertThat(calls).contains("clone(").doesNotContain("clone3(");
  }
}
