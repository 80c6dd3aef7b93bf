#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

static const char *const CAPABILITY_NAMES[] = {
    [CAP_CHOWN] = "CAP_CHOWN",
    [CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
    [CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
    [CAP_FOWNER] = "CAP_FOWNER",
    [CAP_FSETID] = "CAP_FSETID",
    [CAP_KILL] = "CAP_KILL",
    [CAP_SETGID] = "CAP_SETGID",
    [CAP_SETUID] = "CAP_SETUID",
    [CAP_SETPCAP] = "CAP_SETPCAP",
    [CAP_LINUX_IMMUTABLE] = "CAP_LINUX_IMMUTABLE",
    [CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE",
    [CAP_NET_BROADCAST] = "CAP_NET_BROADCAST",
    [CAP_NET_ADMIN] = "CAP_NET_ADMIN",
    [CAP_NET_RAW] = "CAP_NET_RAW",
    [CAP_IPC_LOCK] = "CAP_IPC_LOCK",
    [CAP_IPC_OWNER] = "CAP_IPC_OWNER",
    [CAP_SYS_MODULE] = "CAP_SYS_MODULE",
    [CAP_SYS_RAWIO] = "CAP_SYS_RAWIO",
    [CAP_SYS_CHROOT] = "CAP_SYS_CHROOT",
    [CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
    [CAP_SYS_PACCT] = "CAP_SYS_PACCT",
    [CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
    [CAP_SYS_BOOT] = "CAP_SYS_BOOT",
    [CAP_SYS_NICE] = "CAP_SYS_NICE",
    [CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE",
    [CAP_SYS_TIME] = "CAP_SYS_TIME",
    [CAP_SYS_TTY_CONFIG] = "CAP_SYS_TTY_CONFIG",
    [CAP_MKNOD] = "CAP_MKNOD",
    [CAP_LEASE] = "CAP_LEASE",
    [CAP_AUDIT_WRITE] = "CAP_AUDIT_WRITE",
    [CAP_AUDIT_CONTROL] = "CAP_AUDIT_CONTROL",
    [CAP_SETFCAP] = "CAP_SETFCAP",
    [CAP_MAC_OVERRIDE] = "CAP_MAC_OVERRIDE",
    [CAP_MAC_ADMIN] = "CAP_MAC_ADMIN",
    [CAP_SYSLOG] = "CAP_SYSLOG",
    [CAP_WAKE_ALARM] = "CAP_WAKE_ALARM",
    [CAP_BLOCK_SUSPEND] = "CAP_BLOCK_SUSPEND",
    [CAP_AUDIT_READ] = "CAP_AUDIT_READ",
    [CAP_PERFMON] = "CAP_PERFMON",
    [CAP_BPF] = "CAP_BPF",
    [CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

#define CAPABILITY_COUNT ((int)(sizeof CAPABILITY_NAMES / sizeof CAPABILITY_NAMES[0]))

const char *caps_name(int number) {
  return number >= 0 && number < CAPABILITY_COUNT ? CAPABILITY_NAMES[number] : NULL;
}

int caps_parse(const char *list, uint64_t *mask, char *error) {
  *mask = 0;
  const char *start = list;
  while (*start != '\0') {
    size_t length = strcspn(start, ",");
    int found = -1;
    for (int number = 0; number < CAPABILITY_COUNT; number++) {
      if (strlen(CAPABILITY_NAMES[number]) == length
          && strncasecmp(CAPABILITY_NAMES[number], start, length) == 0) {
        found = number;
      }
    }
    if (found < 0) {
      return set_error(error, "unknown capability \"%.*s\" (expected names such as CAP_CHOWN)",
                       (int)length, start);
    }
    *mask |= UINT64_C(1) << found;
    start += length;
    if (*start == ',') {
      start++;
    }
  }
  return 0;
}

int caps_last(void) {
  /* PR_CAPBSET_READ fails with EINVAL for numbers the kernel does not support. */
  int last = 0;
  while (last < 63 && prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) {
    last++;
  }
  return last;
}

static int capget_sets(struct __user_cap_data_struct data[2]) {
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  return (int)syscall(SYS_capget, &header, data);
}

int caps_read_permitted(uint64_t *permitted) {
  struct __user_cap_data_struct data[2];
  if (capget_sets(data) != 0) {
    return -1;
  }
  *permitted = (uint64_t)data[1].permitted << 32 | data[0].permitted;
  return 0;
}

static const char *describe(int number, char *buffer, size_t size) {
  const char *name = caps_name(number);
  if (name != NULL) {
    return name;
  }
  snprintf(buffer, size, "capability %d", number);
  return buffer;
}

int caps_limit_bounding(uint64_t keep, char *error) {
  int last = caps_last();
  for (int number = 0; number <= last; number++) {
    if ((keep & (UINT64_C(1) << number)) != 0 || prctl(PR_CAPBSET_READ, number, 0, 0, 0) != 1) {
      continue;
    }
    if (prctl(PR_CAPBSET_DROP, number, 0, 0, 0) != 0) {
      char buffer[32];
      return set_error(error, "cannot drop %s from the bounding set: %s (the supervisor needs "
                              "CAP_SETPCAP)", describe(number, buffer, sizeof buffer),
                       strerror(errno));
    }
  }
  return 0;
}

int caps_set(uint64_t mask, char *error) {
  /* Bits above the kernel's last capability make capset fail, so leave them out. */
  int last = caps_last();
  uint64_t known = last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
  mask &= known;
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  for (int i = 0; i < 2; i++) {
    uint32_t half = (uint32_t)(mask >> (32 * i));
    data[i].effective = half;
    data[i].permitted = half;
    data[i].inheritable = half;
  }
  if (syscall(SYS_capset, &header, data) != 0) {
    return set_error(error, "cannot set capabilities with capset: %s", strerror(errno));
  }
  return 0;
}

int caps_set_ambient(uint64_t mask, char *error) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    if (mask == 0 && errno == EINVAL) {
      return 0; /* a kernel without ambient capabilities (before 4.3) has nothing to clear */
    }
    return set_error(error, "cannot clear the ambient capabilities: %s", strerror(errno));
  }
  for (int number = 0; number < 64; number++) {
    if ((mask & (UINT64_C(1) << number)) == 0) {
      continue;
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, number, 0, 0) != 0) {
      char buffer[32];
      return set_error(error, "cannot raise ambient %s: %s", describe(number, buffer, sizeof buffer),
                       strerror(errno));
    }
  }
  return 0;
}
