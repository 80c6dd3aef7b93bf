package io.rktlet.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * Where an exec'd command runs: the container's rkt pod and app, its container directory, and
 * the cgroup.procs files it must join.
 */
record ExecTarget(String containerId, String podUuid, String appName, Path containerDirectory,
    List<Path> cgroupProcsFiles) {}
