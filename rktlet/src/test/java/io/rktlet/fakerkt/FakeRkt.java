package io.rktlet.fakerkt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the fake rkt script as a real process against one data directory, and cleans up every
 * pod it started. Pods are force-stopped, and leftover app processes and the pod process's child
 * are killed by PID. Then pods are removed, so their cgroup directories go too.
 */
final class FakeRkt implements AutoCloseable {
  static final Path SCRIPT =
      Path.of(System.getProperty("rktlet.fakeRkt", "src/test/fake-rkt/rkt")).toAbsolutePath();
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /** Output of one finished rkt invocation. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** A pod started with {@code rkt app sandbox}; {@code process} is the pod process. */
  record Pod(String uuid, Process process, Path console) {}

  final Path dataDir;
  private final Path scratch;
  private final Map<String, String> env = new HashMap<>();
  private final List<Pod> pods = new ArrayList<>();
  private final List<Process> extraProcesses = new ArrayList<>();
  private int outputCounter;

  FakeRkt(Path tempDir) {
    this.dataDir = tempDir.resolve("data");
    this.scratch = tempDir.resolve("scratch");
    try {
      Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("RKT_EXPERIMENT_APP", "true");
    env.put("RKT_EXPERIMENT_ATTACH", "true");
    env.put("RKT_FAKE_READY_DELAY_MS", "0");
  }

  /** Sets (or with a null value removes) an environment variable of later invocations. */
  FakeRkt env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  Path scratch() {
    return scratch;
  }

  /** Runs {@code rkt --dir=DATA ARGS...} with stdin closed and waits for it. */
  Result run(String... args) {
    return runWithInput(null, List.of(args));
  }

  Result run(List<String> args) {
    return runWithInput(null, args);
  }

  Result runWithInput(String stdin, List<String> args) {
    ProcessBuilder builder = builder(args);
    int id = ++outputCounter;
    Path out = scratch.resolve("out-" + id);
    Path err = scratch.resolve("err-" + id);
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    try {
      if (stdin == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process process = builder.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes());
        process.getOutputStream().close();
      }
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("rkt " + args + " did not finish within " + COMMAND_TIMEOUT);
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts a process of the script without waiting; output goes to the given file. */
  Process start(List<String> command, Path output) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(output.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      Process process = builder.start();
      extraProcesses.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.add("--dir=" + dataDir);
    command.addAll(args);
    return command;
  }

  private ProcessBuilder builder(List<String> args) {
    ProcessBuilder builder = new ProcessBuilder(command(args));
    builder.environment().putAll(env);
    return builder;
  }

  /** Starts a pod and waits until its UUID file exists (readiness comes later, see startReadyPod). */
  Pod startPod(String... flags) {
    int id = ++outputCounter;
    Path uuidFile = scratch.resolve("pod-" + id + ".uuid");
    Path console = scratch.resolve("pod-" + id + ".console");
    List<String> args = new ArrayList<>(List.of("app", "sandbox", "--uuid-file-save=" + uuidFile));
    args.addAll(List.of(flags));
    ProcessBuilder builder = builder(args);
    builder.redirectErrorStream(false);
    builder.redirectOutput(console.toFile());
    builder.redirectError(scratch.resolve("pod-" + id + ".stderr").toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    try {
      Process process = builder.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.exists(uuidFile) || Files.readString(uuidFile).isBlank()) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("pod did not write its UUID file, exit "
              + (process.isAlive() ? "none" : process.exitValue()));
        }
        Thread.sleep(10);
      }
      Pod pod = new Pod(Files.readString(uuidFile).strip(), process, console);
      pods.add(pod);
      return pod;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts a pod and waits until it is ready for apps. */
  Pod startReadyPod(String... flags) {
    Pod pod = startPod(flags);
    Result ready = run("status", "--wait-ready=10s", pod.uuid());
    assertThat(ready.exitCode()).as(ready.stderr()).isZero();
    return pod;
  }

  /** Fetches a docker image from the default (always present) registry; returns its full ID. */
  String fetch(String reference) {
    Result result = run("--insecure-options=image,http", "fetch", "--full", reference);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.stdout().strip();
  }

  /** Adds and starts an app running {@code sh -c SCRIPT}; returns nothing, asserts success. */
  void addAndStart(Pod pod, String image, String name, String script, String... flags) {
    List<String> args = new ArrayList<>(List.of("app", "add", pod.uuid(), image, "--name=" + name));
    args.addAll(List.of(flags));
    args.addAll(List.of("--exec=/bin/sh", "--", "-c", script));
    Result add = run(args);
    assertThat(add.exitCode()).as(add.stderr()).isZero();
    Result start = run("app", "start", pod.uuid(), "--app=" + name);
    assertThat(start.exitCode()).as(start.stderr()).isZero();
  }

  JsonNode json(Result result) {
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    try {
      return JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode appStatus(Pod pod, String app) {
    return json(run("app", "status", "--format=json", pod.uuid(), "--app=" + app));
  }

  JsonNode appJson(Pod pod, String app) {
    try {
      return JSON.readTree(podDir(pod).resolve("appsinfo").resolve(app).resolve("app.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path podDir(Pod pod) {
    return dataDir.resolve("pods/run").resolve(pod.uuid());
  }

  /** Returns the PID of the app's current process, waiting briefly for the runner to record it. */
  long appPid(Pod pod, String app) {
    JsonNode run = appJson(pod, app).path("run");
    assertThat(run.has("pid")).as("app %s has a running process", app).isTrue();
    return run.get("pid").asLong();
  }

  /** Polls until the condition is true or the timeout passes; returns the last result. */
  static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  static boolean processAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && !isZombie(pid);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    for (Pod pod : pods) {
      // The pod process's child (in place of the pod's systemd), taken while the pod process lives.
      // A handle stores the process's start time, so destroying it later cannot hit a reused PID.
      List<ProcessHandle> children = pod.process().children().toList();
      if (pod.process().isAlive()) {
        run("stop", "--force", pod.uuid());
      }
      killLeftovers(pod);
      children.forEach(ProcessHandle::destroyForcibly);
      pod.process().destroyForcibly();
      try {
        pod.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      run("rm", pod.uuid());
    }
    for (Process process : extraProcesses) {
      process.destroyForcibly();
    }
  }

  /** Kills by PID every runner and app process that the pod's state still names. */
  private void killLeftovers(Pod pod) {
    Path appsDir = podDir(pod).resolve("appsinfo");
    if (!Files.isDirectory(appsDir)) {
      return;
    }
    try (var apps = Files.list(appsDir)) {
      for (Path appDir : apps.toList()) {
        Path appJson = appDir.resolve("app.json");
        if (!Files.exists(appJson)) {
          continue;
        }
        JsonNode run = JSON.readTree(appJson.toFile()).path("run");
        for (String key : List.of("runner_pid", "pid")) {
          if (run.has(key)) {
            ProcessHandle.of(run.get(key).asLong()).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
