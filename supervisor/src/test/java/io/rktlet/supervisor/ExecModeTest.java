package io.rktlet.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code supervisor exec}: a command run inside the container with the container's settings. */
class ExecModeTest extends SupervisorTestSupport {

  /** Runs {@code supervisor exec ARGS...} to its end with the given stdin. */
  Processes.Result exec(String stdin, String... args) {
    container.writeSpec();
    List<String> command = new ArrayList<>(List.of(container.supervisor().toString(), "exec"));
    command.addAll(List.of(args));
    return processes.run(command, SUPERVISOR_ENVIRONMENT, stdin, tempDir);
  }

  @Test
  void removedSyscallFailsWithEperm() {
    Path target = tempDir.resolve("made-by-exec");
    container.spec("seccomp", "remove:mkdir,mkdirat");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "mkdir", target.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("Operation not permitted");
    assertThat(target).doesNotExist();
  }

  @Test
  void withoutFilterSyscallWorks() {
    Path target = tempDir.resolve("made-by-exec");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "mkdir", target.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(target).isDirectory();
  }

  @Test
  void errnoOptionSetsTheError() {
    container.spec("seccomp", "remove:mkdir,mkdirat;errno=EACCES");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "mkdir", tempDir.resolve("x").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("Permission denied");
  }

  @Test
  void retainListFailsEverythingElse() throws IOException {
    Path table = ContainerDir.BINARY.getParent().getParent().getParent().getParent().getParent()
        .resolve("c/syscall_table.h");
    String allButMkdir = Files.readAllLines(table).stream()
        .map(line -> line.substring("SYSCALL_ENTRY(".length(), line.length() - 1))
        .filter(name -> !name.equals("mkdir") && !name.equals("mkdirat"))
        .collect(Collectors.joining(","));
    container.spec("seccomp", "retain:" + allButMkdir).spec("no_new_privs", "1");

    Processes.Result made = exec(null, "--no-cgroup-wait", "--", "mkdir", tempDir.resolve("x").toString());
    Processes.Result status = exec(null, "--no-cgroup-wait", "--", "grep", "-E",
        "^(Seccomp|NoNewPrivs):", "/proc/self/status");

    assertThat(made.exitCode()).isEqualTo(1);
    assertThat(made.stderr()).contains("Operation not permitted");
    assertThat(status.exitCode()).isZero();
    assertThat(status.stdout()).isEqualTo("NoNewPrivs:\t1\nSeccomp:\t2\n");
  }

  @Test
  void identityWorkingDirectoryAndEnvironmentApply() {
    container.spec("user", "1234").spec("group", "5678").spec("cwd", "/tmp")
        .spec("caps", "CAP_KILL").environment("PATH=/usr/bin:/bin", "GREETING=hello");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "sh", "-c",
        "id -u; id -g; pwd; echo $GREETING; echo ${SUPERVISOR_ONLY:-unset}; grep CapBnd /proc/self/status");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEqualTo("1234\n5678\n/tmp\nhello\nunset\nCapBnd:\t0000000000000020\n");
  }

  @Test
  void stdinIsPassedOnlyWhenAsked() {
    Processes.Result without = exec("data\n", "--no-cgroup-wait", "--", "cat");
    Processes.Result with = exec("data\n", "--no-cgroup-wait", "--stdin", "--", "cat");

    assertThat(without.stdout()).isEmpty();
    assertThat(with.stdout()).isEqualTo("data\n");
  }

  @Test
  void exitCodeAndStderrPassThrough() {
    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "sh", "-c", "echo oops >&2; exit 7");

    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(result.stderr()).isEqualTo("oops\n");
  }

  @Test
  void missingProgramExits127() {
    container.environment("PATH=/usr/bin:/bin");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "no-such-program");

    assertThat(result.exitCode()).isEqualTo(127);
    assertThat(result.stderr()).isEqualTo("supervisor: cannot run \"no-such-program\": "
        + "executable file not found in PATH /usr/bin:/bin\n");
  }

  @Test
  void nonExecutableProgramExits126() throws IOException {
    Path script = Files.writeString(tempDir.resolve("plain-file"), "#!/bin/sh\n");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", script.toString());

    assertThat(result.exitCode()).isEqualTo(126);
    assertThat(result.stderr()).isEqualTo("supervisor: cannot run \"" + script + "\": Permission denied\n");
  }

  @Test
  void identityFailureExits125() {
    container.spec("user", "no-such-user");

    Processes.Result result = exec(null, "--no-cgroup-wait", "--", "true");

    assertThat(result.exitCode()).isEqualTo(125);
    assertThat(result.stderr())
        .isEqualTo("supervisor: user \"no-such-user\" not found in the container's /etc/passwd\n");
  }

  @Test
  void missingSeparatorIsUsageError() {
    Processes.Result result = exec(null, "--no-cgroup-wait", "true");

    assertThat(result.exitCode()).isEqualTo(125);
    assertThat(result.stderr()).contains("usage: supervisor exec");
  }

  @Test
  void waitsStoppedUntilContinued() throws IOException {
    Path marker = tempDir.resolve("ran");
    container.writeSpec();
    Process exec = processes.start(List.of(container.supervisor().toString(), "exec", "--",
            "sh", "-c", "echo ran > " + marker),
        SUPERVISOR_ENVIRONMENT, null, tempDir.resolve("exec.stdout"), tempDir.resolve("exec.stderr"));

    assertThat(eventually(() -> processState(exec.pid()) == 'T')).as("process stops itself").isTrue();
    assertThat(marker).doesNotExist();
    Processes.signal(exec.pid(), "CONT");

    assertThat(Processes.waitFor(exec)).isZero();
    assertThat(marker).hasContent("ran");
  }

  @Test
  void ttyRunsOnTerminalWithSize() throws IOException {
    Path resize = tempDir.resolve("resize");
    ContainerDir.mkfifo(resize);
    try (RandomAccessFile fifo = new RandomAccessFile(resize.toFile(), "rw")) {
      fifo.write("120 40\n".getBytes(StandardCharsets.UTF_8));

      Processes.Result result = exec(null, "--no-cgroup-wait", "--tty", "--resize-fifo=" + resize, "--",
          "sh", "-c", "tty; sleep 0.3; stty size; exit 5");

      assertThat(result.exitCode()).isEqualTo(5);
      assertThat(result.stdout()).matches("/dev/pts/\\d+\r\n40 120\r\n");
    }
  }

  @Test
  void resizeFifoNamedInContainerDirectory() throws IOException {
    Path resize = container.dir.resolve("exec-1.resize");
    ContainerDir.mkfifo(resize);
    try (RandomAccessFile fifo = new RandomAccessFile(resize.toFile(), "rw")) {
      fifo.write("100 30\n".getBytes(StandardCharsets.UTF_8));

      Processes.Result result = exec(null, "--no-cgroup-wait", "--tty",
          "--resize-fifo=exec-1.resize", "--", "sh", "-c", "sleep 0.3; stty size");

      assertThat(result.exitCode()).isZero();
      assertThat(result.stdout()).isEqualTo("30 100\r\n");
    }
  }

  @Test
  void ttyPassesStdin() {
    Processes.Result result = exec("hello\n", "--no-cgroup-wait", "--tty", "--stdin", "--",
        "sh", "-c", "read l; echo got-$l; read l2 || echo eof");

    // The terminal may echo "hello" first: the input is there before the program starts.
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).endsWith("got-hello\r\neof\r\n");
  }

  @Test
  void ttyProgramKilledBySignalKillsSupervisor() {
    Processes.Result result = exec(null, "--no-cgroup-wait", "--tty", "--", "sh", "-c", "kill -9 $$");

    assertThat(result.exitCode()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  static char processState(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return '?';
    }
  }
}
