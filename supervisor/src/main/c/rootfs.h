/* A read-only root filesystem for the container's process (readonly_rootfs=1 in the spec). */
#ifndef SUPERVISOR_ROOTFS_H
#define SUPERVISOR_ROOTFS_H

/*
 * Moves this process into a new mount namespace, makes every mount there a slave of its
 * original, and remounts / read-only in place, keeping its other per-mount flags. Other
 * mounts stay as they are. Needs CAP_SYS_ADMIN, and / must be a mount point. Returns 0, or -1
 * with the failed call in error.
 */
int rootfs_make_readonly(char *error);

#endif
