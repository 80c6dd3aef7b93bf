package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code supervisor launch}: rktlet's way to start {@code rkt app sandbox} inside the pod's cgroups. */
class LaunchModeTest extends SupervisorTestSupport {

  @Test
  void launchJoinsCgroupsAndNewSession() throws IOException {
    Path memory = Files.createFile(tempDir.resolve("memory.procs"));
    Path cpu = Files.createFile(tempDir.resolve("cpu.procs"));
    Process launch = processes.start(List.of(container.supervisor().toString(), "launch",
            "--cgroup-procs=" + memory, "--cgroup-procs=" + cpu, "--",
            "sh", "-c", "cut -d' ' -f1,6 /proc/$$/stat"),
        SUPERVISOR_ENVIRONMENT, null, tempDir.resolve("launch.stdout"), tempDir.resolve("launch.stderr"));

    int exitCode = Processes.waitFor(launch);

    String pid = Long.toString(launch.pid());
    assertThat(exitCode).isZero();
    assertThat(memory).hasContent(pid);
    assertThat(cpu).hasContent(pid);
    assertThat(tempDir.resolve("launch.stdout")).hasContent(pid + " " + pid);
  }

  @Test
  void failedWriteExits125() {
    Processes.Result result = processes.run(List.of(container.supervisor().toString(), "launch",
        "--cgroup-procs=/nonexistent/cgroup.procs", "--", "true"), SUPERVISOR_ENVIRONMENT, null, tempDir);

    assertThat(result.exitCode()).isEqualTo(125);
    assertThat(result.stderr()).matches("supervisor: cannot write pid \\d+ to /nonexistent/cgroup.procs: "
        + "No such file or directory\n");
  }

  @Test
  void missingProgramExits127() {
    Processes.Result result = processes.run(List.of(container.supervisor().toString(), "launch",
        "--", "/no/such/rkt"), SUPERVISOR_ENVIRONMENT, null, tempDir);

    assertThat(result.exitCode()).isEqualTo(127);
    assertThat(result.stderr()).isEqualTo("supervisor: cannot run \"/no/such/rkt\": No such file or directory\n");
  }
}
