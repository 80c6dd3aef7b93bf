package io.rktlet.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Processes found by a fragment of their command line, such as a unique sleep duration. */
final class TestProcesses {
  private TestProcesses() {}

  /** Returns the command lines of live processes that contain {@code fragment}. */
  static List<String> running(String fragment) {
    return ProcessHandle.allProcesses()
        .map(process -> cmdline(process.pid()))
        .filter(cmdline -> cmdline.contains(fragment))
        .collect(Collectors.toList());
  }

  /** Returns the PIDs of live processes whose command line contains {@code fragment}. */
  static List<Long> pids(String fragment) {
    return ProcessHandle.allProcesses()
        .map(ProcessHandle::pid)
        .filter(pid -> cmdline(pid).contains(fragment))
        .collect(Collectors.toList());
  }

  private static String cmdline(long pid) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }
}
