package io.rktlet.security;

import java.nio.file.Path;

/**
 * A host device node to bind into an app's /dev (or wherever {@code containerPath} points)
 * between {@code rkt app add} and {@code rkt app start}. prepare-app binds only single device
 * nodes into an app, never a whole /dev, so such binds stay visible.
 *
 * <p>NOTE: rktlet does not enforce {@code permissions} yet. rkt's app unit has
 * {@code DevicePolicy=closed}, which the pod's systemd enforces only where it controls a
 * devices cgroup for the app: on the hybrid host of rkt's recorded runs apps were in the root
 * devices cgroup and nothing was enforced, while on a pure cgroup v2 host the bound device may
 * be refused altogether. Not verified with a real device.
 *
 * @param hostPath the device node on the host, symbolic links resolved
 * @param containerPath absolute path inside the container
 * @param type {@code c} for a character device, {@code b} for a block device
 * @param major the device's major number
 * @param minor the device's minor number
 * @param permissions device cgroup access: some of {@code r}, {@code w}, {@code m}
 */
public record DeviceBind(
    Path hostPath, String containerPath, char type, long major, long minor,
    String permissions) {}
