package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status file and the supervisor's exit code for each way a child ends or fails to start. */
class ExitStatusTest extends SupervisorTestSupport {

  @Test
  void runningStatusHasPidAndStartTime() {
    container.spec("stdin", "1").shell("read line");
    startSupervisor();
    awaitState("running");

    Map<String, String> status = container.status();
    long pid = Long.parseLong(status.get("pid"));
    assertThat(ProcessHandle.of(pid)).isPresent();
    assertThat(Long.parseLong(status.get("started_at")))
        .isBetween(System.currentTimeMillis() * 1_000_000 - 60_000_000_000L,
            System.currentTimeMillis() * 1_000_000);
    assertThat(status).containsEntry("reopened", "0").doesNotContainKeys("exit_code", "finished_at");
  }

  @Test
  void exitCodeIsRecordedAndReturned() {
    container.shell("exit 3");

    int exitCode = runSupervisor();

    Map<String, String> status = container.status();
    assertThat(exitCode).isEqualTo(3);
    assertThat(status).containsEntry("state", "exited").containsEntry("exit_code", "3")
        .containsEntry("signal", "0");
    assertThat(Long.parseLong(status.get("finished_at")))
        .isGreaterThanOrEqualTo(Long.parseLong(status.get("started_at")));
  }

  @Test
  void killedChildExits137() {
    container.shell("kill -9 $$");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(137);
    assertThat(container.status()).containsEntry("state", "exited").containsEntry("exit_code", "137")
        .containsEntry("signal", "9");
  }

  @Test
  void missingProgramFails127() {
    container.command("/no/such/program", "arg");

    int exitCode = runSupervisor();

    Map<String, String> status = container.status();
    assertThat(exitCode).isEqualTo(127);
    assertThat(status).containsEntry("state", "failed").containsEntry("exit_code", "127")
        .doesNotContainKey("pid");
    assertThat(status.get("error")).isEqualTo("cannot run \"/no/such/program\": No such file or directory");
  }

  @Test
  void programMissingFromPathFails127() {
    container.command("no-such-program").environment("PATH=/usr/bin:/bin");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(127);
    assertThat(container.status().get("error"))
        .isEqualTo("cannot run \"no-such-program\": executable file not found in PATH /usr/bin:/bin");
  }

  @Test
  void programResolvesInContainerPath() throws IOException {
    Path bin = Files.createDirectories(tempDir.resolve("image-bin"));
    Path tool = bin.resolve("container-tool");
    Files.writeString(tool, "#!/bin/sh\necho from-container-path\n");
    tool.toFile().setExecutable(true);
    container.command("container-tool").environment("PATH=/nonexistent:" + bin);

    int exitCode = runSupervisor();

    assertThat(exitCode).isZero();
    assertThat(LogRecord.lines(container.logRecords(), "stdout")).containsExactly("from-container-path");
  }

  @Test
  void nonExecutableProgramFails126() throws IOException {
    Path script = Files.writeString(tempDir.resolve("not-executable"), "#!/bin/sh\n");
    container.command(script.toString());

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(126);
    assertThat(container.status()).containsEntry("state", "failed").containsEntry("exit_code", "126");
    assertThat(container.status().get("error")).endsWith("Permission denied");
  }

  @Test
  void unknownUserFails128() {
    container.spec("user", "no-such-user").shell("true");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status()).containsEntry("state", "failed").containsEntry("exit_code", "128")
        .containsEntry("error", "user \"no-such-user\" not found in the container's /etc/passwd");
  }

  @Test
  void missingWorkingDirectoryFails128() {
    container.spec("cwd", "/no/such/dir").shell("true");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status()).containsEntry("state", "failed")
        .containsEntry("error", "cannot change to working directory /no/such/dir: No such file or directory");
  }

  @Test
  void invalidSpecFails128() {
    container.spec("tty", "yes").shell("true");

    int exitCode = runSupervisor();

    assertThat(exitCode).isEqualTo(128);
    assertThat(container.status()).containsEntry("state", "failed")
        .containsEntry("error", "invalid spec value tty=yes: expected 0 or 1");
  }

  @Test
  void childSeesOnlyContainerEnvironment() {
    container.command("/usr/bin/env").environment("PATH=/usr/bin:/bin", "HOSTNAME=pod-1", "EMPTY=");

    runSupervisor();

    assertThat(LogRecord.lines(container.logRecords(), "stdout"))
        .containsExactly("PATH=/usr/bin:/bin", "HOSTNAME=pod-1", "EMPTY=");
  }

  @Test
  void childRunsInWorkingDirectoryWithOwnSession() throws IOException {
    Path work = Files.createDirectories(tempDir.resolve("work"));
    container.spec("cwd", work.toString()).shell("pwd; cut -d' ' -f1,6 /proc/$$/stat");

    runSupervisor();

    var lines = LogRecord.lines(container.logRecords(), "stdout");
    String[] pidAndSession = lines.get(1).split(" ");
    assertThat(lines.get(0)).isEqualTo(work.toString());
    assertThat(pidAndSession[1]).as("session id").isEqualTo(pidAndSession[0]);
  }

  @Test
  void outsideContainerDirectoryFails125() throws IOException {
    Path elsewhere = tempDir.resolve("elsewhere");
    Files.copy(ContainerDir.BINARY, elsewhere);
    elsewhere.toFile().setExecutable(true);

    Processes.Result result = processes.run(java.util.List.of(elsewhere.toString(), "run"), null, null, tempDir);

    assertThat(result.exitCode()).isEqualTo(125);
    assertThat(result.stderr()).startsWith("supervisor: the supervisor must run as DIR/bin/supervisor");
  }
}
