package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container directory laid out as rktlet lays it out before {@code rkt app start}: the
 * supervisor binary in {@code bin/}, {@code argv}, {@code env}, {@code spec}, {@code log/} and
 * the {@code control} FIFO (plus {@code stdin} when the spec asks for it).
 */
final class ContainerDir {
  static final Path BINARY = Path.of(System.getProperty("supervisor.binary",
      "target/classes/io/rktlet/supervisor/supervisor-linux-amd64"));
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final long FIFO_WRITE_TIMEOUT_SECONDS = 5;

  final Path dir;
  private final Map<String, String> spec = new LinkedHashMap<>();

  /** Creates the directory with the binary, a log directory, the control FIFO and a default spec. */
  ContainerDir(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("bin"));
      Files.createDirectories(dir.resolve("log"));
      Files.copy(BINARY, supervisor());
      Files.setPosixFilePermissions(supervisor(), PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mkfifo(dir.resolve("control"));
    spec.put("user", "");
    spec.put("group", "");
    spec.put("groups", "");
    spec.put("groups_policy", "merge");
    spec.put("caps", "");
    spec.put("ambient", "");
    spec.put("no_new_privs", "0");
    spec.put("cwd", "/");
    spec.put("tty", "0");
    spec.put("stdin", "0");
    spec.put("stdin_once", "0");
    spec.put("seccomp", "");
    spec.put("log", "1");
    environment("PATH=" + DEFAULT_PATH);
  }

  Path supervisor() {
    return dir.resolve("bin/supervisor");
  }

  /** Returns the log file used when the spec has no {@code log_file} line. */
  Path log() {
    return logFile("current");
  }

  /** Returns a file of the log directory, the log file of a spec with {@code log_file=NAME}. */
  Path logFile(String name) {
    return dir.resolve("log").resolve(name);
  }

  Path control() {
    return dir.resolve("control");
  }

  Path stdinFifo() {
    return dir.resolve("stdin");
  }

  Path attachSocket() {
    return dir.resolve("attach.sock");
  }

  /** Writes the container's command, the program first. */
  ContainerDir command(String... argv) {
    writeStrings("argv", List.of(argv));
    return this;
  }

  /** Writes a {@code sh -c SCRIPT} command. */
  ContainerDir shell(String script) {
    return command("/bin/sh", "-c", script);
  }

  /** Replaces the container's environment. */
  ContainerDir environment(String... entries) {
    writeStrings("env", List.of(entries));
    return this;
  }

  /** Sets one spec key; the file is written when the supervisor starts. */
  ContainerDir spec(String key, String value) {
    spec.put(key, value);
    if (key.equals("stdin") && value.equals("1") && !Files.exists(stdinFifo())) {
      mkfifo(stdinFifo());
    }
    return this;
  }

  void writeSpec() {
    StringBuilder text = new StringBuilder();
    spec.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    write("spec", text.toString().getBytes(UTF_8));
  }

  /** Returns the status file as key-value pairs, or an empty map before it exists. */
  Map<String, String> status() {
    Map<String, String> status = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(dir.resolve("status"), UTF_8)) {
        int equals = line.indexOf('=');
        status.put(line.substring(0, equals), line.substring(equals + 1));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return status;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return status;
  }

  /** Sends one command line through the control FIFO (the supervisor must be running). */
  void control(String command) {
    appendTo(control(), command + "\n");
  }

  /**
   * Writes text into a FIFO. Opening a FIFO for writing blocks until it has a reader, so the
   * write runs on its own thread; when no reader comes within the timeout, the test opens the
   * FIFO for reading itself to release that thread, and fails.
   */
  static void appendTo(Path fifo, String text) {
    CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
      try {
        Files.writeString(fifo, text, UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      write.get(FIFO_WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      try (FileInputStream release = new FileInputStream(fifo.toFile())) {
        release.readAllBytes();
      } catch (IOException ignored) {
        // The test fails below anyway.
      }
      throw new AssertionError("no process reads FIFO " + fifo + " within "
          + FIFO_WRITE_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      throw new AssertionError("writing to FIFO " + fifo + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  List<LogRecord> logRecords() {
    return LogRecord.readAll(log());
  }

  static void mkfifo(Path path) {
    Processes.runQuietly("mkfifo", "-m", "0600", path.toString());
  }

  private void writeStrings(String name, List<String> strings) {
    StringBuilder text = new StringBuilder();
    strings.forEach(s -> text.append(s).append('\0'));
    write(name, text.toString().getBytes(UTF_8));
  }

  private void write(String name, byte[] content) {
    try {
      Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
