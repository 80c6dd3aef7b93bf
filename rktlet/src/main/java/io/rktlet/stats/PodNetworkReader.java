package io.rktlet.stats;

import io.rktlet.cri.v1.NetworkInterfaceUsage;
import io.rktlet.cri.v1.NetworkUsage;
import io.rktlet.cri.v1.UInt64Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Network counters of a pod from {@code /proc/<pid>/net/dev} of a process in the pod's network
 * namespace (the pod's systemd-nspawn). The loopback interface is left out; the default
 * interface is {@code eth0} when present, else the first other one.
 */
public final class PodNetworkReader {
  private static final String DEFAULT_INTERFACE = "eth0";

  private final Path procRoot;

  public PodNetworkReader(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Returns the pod's network usage, or null when the process's table cannot be read. */
  public NetworkUsage read(long podPid, long timestampNanos) {
    List<String> lines;
    try {
      lines = Files.readAllLines(procRoot.resolve(Long.toString(podPid)).resolve("net/dev"));
    } catch (IOException e) {
      return null;
    }
    NetworkUsage.Builder usage = NetworkUsage.newBuilder().setTimestamp(timestampNanos);
    NetworkInterfaceUsage first = null;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).strip();
      String[] fields = line.substring(colon + 1).strip().split("\\s+");
      if (name.equals("lo") || fields.length < 11) {
        continue;
      }
      // Receive: bytes packets errs drop ...; transmit starts at the ninth field.
      NetworkInterfaceUsage counters = NetworkInterfaceUsage.newBuilder()
          .setName(name)
          .setRxBytes(value(fields[0]))
          .setRxErrors(value(fields[2]))
          .setTxBytes(value(fields[8]))
          .setTxErrors(value(fields[10]))
          .build();
      if (name.equals(DEFAULT_INTERFACE)) {
        usage.setDefaultInterface(counters);
      } else {
        usage.addInterfaces(counters);
        first = first == null ? counters : first;
      }
    }
    if (!usage.hasDefaultInterface() && first != null) {
      usage.setDefaultInterface(first);
    }
    return usage.build();
  }

  private static UInt64Value value(String text) {
    return UInt64Value.newBuilder().setValue(Long.parseLong(text)).build();
  }
}
