#include "rootfs.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "util.h"

/* The statfs(2) flag of nosymfollow mounts (0x2000, seen on Linux 6.18); glibc 2.36 lacks it. */
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

/*
 * Per-mount flags that a bind remount replaces with the ones it is given, so they must be
 * passed again. Where the kernel has locked nosuid, nodev, noexec or the atime flags (on
 * mounts copied into a mount namespace of a new user namespace), it rejects a remount that
 * changes them with EPERM.
 */
static const struct {
  unsigned long statvfs_flag;
  unsigned long mount_flag;
} KEPT_FLAGS[] = {
    {ST_NOSUID, MS_NOSUID},       {ST_NODEV, MS_NODEV},
    {ST_NOEXEC, MS_NOEXEC},       {ST_NOATIME, MS_NOATIME},
    {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
    {ST_NOSYMFOLLOW, MS_NOSYMFOLLOW},
};

static int mount_failed(const char *call, char *error) {
  int saved = errno;
  return set_error(error, "cannot make / read-only: %s failed: %s%s", call, strerror(saved),
                   saved == EINVAL ? " (/ must be a mount point)" : "");
}

int rootfs_make_readonly(char *error) {
  if (unshare(CLONE_NEWNS) != 0) {
    return set_error(error, "cannot make / read-only: unshare(CLONE_NEWNS) failed: %s",
                     strerror(errno));
  }
  /* The remount must not propagate back to the pod or the host, while their later mounts
   * and unmounts still reach this namespace. */
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) {
    return mount_failed("mount(\"/\", MS_REC|MS_SLAVE)", error);
  }
  struct statvfs root;
  if (statvfs("/", &root) != 0) {
    return set_error(error, "cannot make / read-only: statvfs(\"/\") failed: %s",
                     strerror(errno));
  }
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
  for (size_t i = 0; i < sizeof KEPT_FLAGS / sizeof KEPT_FLAGS[0]; i++) {
    if ((root.f_flag & KEPT_FLAGS[i].statvfs_flag) != 0) {
      flags |= KEPT_FLAGS[i].mount_flag;
    }
  }
  if (mount(NULL, "/", NULL, flags, NULL) != 0) {
    return mount_failed("mount(\"/\", MS_REMOUNT|MS_BIND|MS_RDONLY)", error);
  }
  return 0;
}
