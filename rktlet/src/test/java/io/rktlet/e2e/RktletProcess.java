package io.rktlet.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real rktlet jar, started as its own JVM with the rkt test double as its rkt binary, and
 * all its state under one test directory.
 */
final class RktletProcess implements AutoCloseable {
  private final Path root;
  private List<String> extraArgs;
  private final Map<String, String> environment;
  private Process process;
  private int starts;

  private final String name;

  /** @param name names the log kept under the build directory, for example the test's */
  RktletProcess(String name, Path root, List<String> extraArgs,
      Map<String, String> environment) {
    this.name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
    this.root = root;
    this.extraArgs = List.copyOf(extraArgs);
    this.environment = Map.copyOf(environment);
  }

  /** Replaces the extra flags for the next {@link #start}. */
  RktletProcess withArgs(List<String> args) {
    this.extraArgs = List.copyOf(args);
    return this;
  }

  Path root() {
    return root;
  }

  Path socket() {
    return root.resolve("run/rktlet.sock");
  }

  Path stateDir() {
    return root.resolve("state");
  }

  Path rktDir() {
    return root.resolve("rkt");
  }

  /** The TOML file rktlet reads; empty unless a test writes it before {@link #start}. */
  Path configFile() {
    return root.resolve("rktlet.toml");
  }

  Path logFile() {
    return root.resolve("rktlet-" + starts + ".log");
  }

  /** Starts rktlet and waits until its socket answers, at most 30 s. */
  RktletProcess start() throws IOException, InterruptedException {
    starts++;
    Files.createDirectories(root);
    Path config = configFile();
    if (!Files.exists(config)) {
      Files.writeString(config, "");
    }
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString(),
        "--config=" + config,
        "--socket=" + socket(),
        "--state-dir=" + stateDir(),
        "--rkt=" + fakeRkt(),
        "--rkt-dir=" + rktDir(),
        "--sandbox-launcher=detached",
        "--reconcile-interval=1"));
    if (!TestHost.isRoot()) {
      // Bind mounts need CAP_SYS_ADMIN; without it rktlet still runs pods, without volumes.
      command.add("--manage-mounts=false");
    }
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    awaitSocket();
    return this;
  }

  private void awaitSocket() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("rktlet exited with code " + process.exitValue()
            + " during start-up; its log:\n" + log());
      }
      if (Files.exists(logFile())
          && Files.readString(logFile()).contains("rktlet is ready")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("rktlet did not become ready within 30 s; its log:\n"
        + log());
  }

  long pid() {
    return process.pid();
  }

  /** Sends SIGTERM and waits for a clean exit; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("rktlet ignored SIGTERM for 30 s");
    }
    return process.exitValue();
  }

  /** Kills rktlet with SIGKILL, as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String log() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int i = 1; i <= starts; i++) {
      Path file = root.resolve("rktlet-" + i + ".log");
      if (Files.exists(file)) {
        all.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      terminate();
    }
    keepLog();
    TestHost.cleanUp(root, rktDir());
  }

  /** Copies rktlet's log to the build directory, where it outlives the test's temp dir. */
  private void keepLog() throws IOException {
    String target = System.getProperty("rktlet.e2eLogs");
    if (target == null || starts == 0) {
      return;
    }
    Path dir = Files.createDirectories(Path.of(target));
    Files.writeString(dir.resolve(name + ".log"), log());
  }

  static Path jar() {
    return Path.of(requiredProperty("rktlet.jar"));
  }

  static Path fakeRkt() {
    return Path.of(requiredProperty("rktlet.fakeRkt"));
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("system property " + name + " is not set; run the "
          + "end-to-end tests through Maven (mvn verify)");
    }
    return value;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
