package io.rktlet.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runtime for tests that runs commands as local processes with pipes, and with a pseudo
 * terminal from {@code script} for TTY sessions. Port forwarding connects to loopback ports.
 */
final class ProcessRuntime implements StreamingRuntime {
  /** Sizes the runtime took from resize queues, in order. */
  final List<TerminalSize> appliedSizes = new CopyOnWriteArrayList<>();
  /** Maps a sandbox port to the loopback port of the server that replaces it in tests. */
  final Map<Integer, Integer> forwardedPorts = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  /** What attach runs, standing in for the container's main process. */
  volatile List<String> attachCommand = List.of("cat");

  @Override
  public int exec(String containerId, List<String> command, boolean tty, InputStream stdin,
      OutputStream stdout, OutputStream stderr, TerminalSizeQueue resizes)
      throws IOException, InterruptedException {
    calls.add("exec " + containerId + " " + command + " tty=" + tty);
    return run(command, tty, stdin, stdout, stderr, resizes);
  }

  @Override
  public void attach(String containerId, boolean tty, InputStream stdin, OutputStream stdout,
      OutputStream stderr, TerminalSizeQueue resizes) throws IOException, InterruptedException {
    calls.add("attach " + containerId + " tty=" + tty);
    run(attachCommand, tty, stdin, stdout, stderr, resizes);
  }

  @Override
  public ByteChannel portForward(String podSandboxId, int port) throws IOException {
    calls.add("portForward " + podSandboxId + " " + port);
    Integer loopbackPort = forwardedPorts.get(port);
    if (loopbackPort == null) {
      throw new ConnectException("connection refused: nothing listens on port " + port);
    }
    return SocketChannel.open(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackPort));
  }

  /** Waits until every process this runtime started has exited; returns whether they have. */
  boolean awaitAllExited(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Process process : processes) {
      long remainingMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      if (!process.waitFor(remainingMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
    return !processes.isEmpty();
  }

  /** Kills the processes that are still running, by PID. */
  void killAll() {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private int run(List<String> command, boolean tty, InputStream stdin, OutputStream stdout,
      OutputStream stderr, TerminalSizeQueue resizes) throws IOException, InterruptedException {
    List<String> argv = tty
        ? List.of("script", "-qfec", String.join(" ", command), "/dev/null")
        : command;
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.redirectErrorStream(stderr == null);
    Process process = builder.start();
    processes.add(process);
    List<Thread> outputCopies = new ArrayList<>();
    outputCopies.add(copy(process.getInputStream(), stdout, process));
    if (stderr != null) {
      outputCopies.add(copy(process.getErrorStream(), stderr, process));
    }
    if (stdin != null) {
      copy(stdin, process.getOutputStream(), process);
    } else {
      process.getOutputStream().close();
    }
    Thread sizes = new Thread(() -> recordSizes(resizes), "test-resizes");
    sizes.setDaemon(true);
    sizes.start();
    try {
      int exitCode = process.waitFor();
      for (Thread copy : outputCopies) {
        copy.join();
      }
      return exitCode;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    } finally {
      sizes.interrupt();
    }
  }

  private void recordSizes(TerminalSizeQueue resizes) {
    try {
      TerminalSize size;
      while ((size = resizes.take()) != null) {
        appliedSizes.add(size);
      }
    } catch (InterruptedException e) {
      // The command ended.
    }
  }

  /**
   * Copies on a daemon thread, flushing after every read because a process's stdin is buffered,
   * and closes the destination at the end of the source.
   */
  private static Thread copy(InputStream from, OutputStream to, Process process) {
    OutputStream destination = to == null ? OutputStream.nullOutputStream() : to;
    Thread thread = new Thread(() -> {
      try (from; destination) {
        byte[] buffer = new byte[8192];
        int count;
        while ((count = from.read(buffer)) >= 0) {
          destination.write(buffer, 0, count);
          destination.flush();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      }
    }, "test-copy");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
