package io.rktlet.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to launch as a pod process.
 *
 * @param sandboxId rktlet's sandbox ID, used to name the systemd unit
 * @param argv the full {@code rkt ... app sandbox ...} argument vector
 * @param environment variables added to rktlet's environment (rkt's experiment switches)
 * @param outputFile file that receives the process's stdout and stderr (appended)
 * @param cgroupParent the pod's cgroup parent from the CRI config, in cgroupfs notation
 *     ({@code /kubepods/burstable/pod123}) or systemd notation
 *     ({@code kubepods-burstable-pod123.slice}); empty when the kubelet sent none
 * @param cgroupProcsFiles {@code cgroup.procs} files of the pod cgroup that rktlet created,
 *     which the pod process joins before rkt starts; empty when systemd manages the cgroup
 */
public record LaunchRequest(
    String sandboxId,
    List<String> argv,
    Map<String, String> environment,
    Path outputFile,
    String cgroupParent,
    List<Path> cgroupProcsFiles) {

  public LaunchRequest {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    cgroupProcsFiles = List.copyOf(cgroupProcsFiles);
  }
}
