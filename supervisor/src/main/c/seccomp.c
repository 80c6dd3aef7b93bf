#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "util.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

struct named_number {
  const char *name;
  int number;
};

/* Every SYS_* macro of <sys/syscall.h>; the build generates syscall_table.h from it. */
#define SYSCALL_ENTRY(name) {#name, SYS_##name},
static const struct named_number SYSCALLS[] = {
#include "syscall_table.h"
};
#undef SYSCALL_ENTRY

#define ERRNO_ENTRY(name) {#name, name},
static const struct named_number ERRNO_NAMES[] = {
    ERRNO_ENTRY(EPERM) ERRNO_ENTRY(ENOENT) ERRNO_ENTRY(ESRCH) ERRNO_ENTRY(EINTR)
    ERRNO_ENTRY(EIO) ERRNO_ENTRY(ENXIO) ERRNO_ENTRY(E2BIG) ERRNO_ENTRY(ENOEXEC)
    ERRNO_ENTRY(EBADF) ERRNO_ENTRY(ECHILD) ERRNO_ENTRY(EAGAIN) ERRNO_ENTRY(ENOMEM)
    ERRNO_ENTRY(EACCES) ERRNO_ENTRY(EFAULT) ERRNO_ENTRY(EBUSY) ERRNO_ENTRY(EEXIST)
    ERRNO_ENTRY(EXDEV) ERRNO_ENTRY(ENODEV) ERRNO_ENTRY(ENOTDIR) ERRNO_ENTRY(EISDIR)
    ERRNO_ENTRY(EINVAL) ERRNO_ENTRY(ENFILE) ERRNO_ENTRY(EMFILE) ERRNO_ENTRY(ENOTTY)
    ERRNO_ENTRY(EFBIG) ERRNO_ENTRY(ENOSPC) ERRNO_ENTRY(ESPIPE) ERRNO_ENTRY(EROFS)
    ERRNO_ENTRY(EMLINK) ERRNO_ENTRY(EPIPE) ERRNO_ENTRY(ERANGE) ERRNO_ENTRY(ENOSYS)
    ERRNO_ENTRY(ENOTSUP) ERRNO_ENTRY(EOPNOTSUPP) ERRNO_ENTRY(EAFNOSUPPORT)
    ERRNO_ENTRY(ECONNREFUSED) ERRNO_ENTRY(ETIMEDOUT)
};
#undef ERRNO_ENTRY

#define TABLE_SIZE(table) (sizeof table / sizeof table[0])

/* 4096 is BPF_MAXINSNS; each listed syscall takes two instructions. */
#define FILTER_MAX_INSTRUCTIONS 4096
#define FILTER_FIXED_INSTRUCTIONS 7

int seccomp_syscall_number(const char *name) {
  for (size_t i = 0; i < TABLE_SIZE(SYSCALLS); i++) {
    if (strcmp(SYSCALLS[i].name, name) == 0) {
      return SYSCALLS[i].number;
    }
  }
  return -1;
}

static int parse_errno(const char *text, int *number, char *error) {
  unsigned long value;
  if (parse_number(text, SECCOMP_RET_DATA, &value) == 0 && value > 0) {
    *number = (int)value;
    return 0;
  }
  for (size_t i = 0; i < TABLE_SIZE(ERRNO_NAMES); i++) {
    if (strcmp(ERRNO_NAMES[i].name, text) == 0) {
      *number = ERRNO_NAMES[i].number;
      return 0;
    }
  }
  return set_error(error, "invalid seccomp errno \"%s\": expected a name such as EPERM or a "
                          "number", text);
}

/* Adds number unless present; syscalls has room for every entry of SYSCALLS. */
static void add_syscall(struct seccomp_spec *spec, int number) {
  for (size_t i = 0; i < spec->count; i++) {
    if (spec->syscalls[i] == number) {
      return;
    }
  }
  spec->syscalls[spec->count++] = number;
}

int seccomp_parse(const char *value, struct seccomp_spec *spec, char *error) {
  memset(spec, 0, sizeof *spec);
  spec->error_number = EPERM;
  if (value[0] == '\0') {
    return 0;
  }
  if (strncmp(value, "retain:", 7) == 0) {
    spec->mode = SECCOMP_LIST_RETAIN;
  } else if (strncmp(value, "remove:", 7) == 0) {
    spec->mode = SECCOMP_LIST_REMOVE;
  } else {
    return set_error(error, "invalid spec value seccomp=%s: expected retain:LIST or remove:LIST",
                     value);
  }

  char *list = strdup(value + 7);
  spec->syscalls = calloc(TABLE_SIZE(SYSCALLS), sizeof *spec->syscalls);
  if (list == NULL || spec->syscalls == NULL) {
    return set_error(error, "out of memory");
  }
  char *options = strchr(list, ';');
  if (options != NULL) {
    *options++ = '\0';
    if (strncmp(options, "errno=", 6) != 0) {
      return set_error(error, "invalid seccomp option \"%s\": expected errno=NAME", options);
    }
    if (parse_errno(options + 6, &spec->error_number, error) != 0) {
      return -1;
    }
  }

  for (char *name = strtok(list, ","); name != NULL; name = strtok(NULL, ",")) {
    int number = seccomp_syscall_number(name);
    if (number >= 0) {
      add_syscall(spec, number);
    }
  }
  free(list);
  return 0;
}

int seccomp_install(const struct seccomp_spec *spec, char *error) {
  if (spec->mode == SECCOMP_LIST_NONE) {
    return 0;
  }
  const unsigned int allow = SECCOMP_RET_ALLOW;
  const unsigned int deny = SECCOMP_RET_ERRNO | ((unsigned int)spec->error_number & SECCOMP_RET_DATA);
  const unsigned int listed = spec->mode == SECCOMP_LIST_RETAIN ? allow : deny;
  const unsigned int others = spec->mode == SECCOMP_LIST_RETAIN ? deny : allow;

  size_t size = FILTER_FIXED_INSTRUCTIONS + 2 * spec->count;
  if (size > FILTER_MAX_INSTRUCTIONS) {
    return set_error(error, "seccomp list too long: %zu syscalls", spec->count);
  }
  struct sock_filter *program = calloc(size, sizeof *program);
  if (program == NULL) {
    return set_error(error, "out of memory");
  }
  size_t n = 0;
  /* Syscalls of other ABIs (i386 through int 0x80, x32) have other numbers, so a list of
   * x86_64 numbers cannot describe them: they always fail. */
  program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                              offsetof(struct seccomp_data, arch));
  program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, deny);
  program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                              offsetof(struct seccomp_data, nr));
  program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1);
  program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, deny);
  for (size_t i = 0; i < spec->count; i++) {
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                                (unsigned int)spec->syscalls[i], 0, 1);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, listed);
  }
  program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, others);

  struct sock_fprog filter = {.len = (unsigned short)n, .filter = program};
  int result = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter, 0, 0);
  int saved = errno;
  free(program);
  if (result != 0) {
    return set_error(error, "cannot install the seccomp filter: %s", strerror(saved));
  }
  return 0;
}
