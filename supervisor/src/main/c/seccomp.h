/* Seccomp filters from the spec's seccomp= value, built as classic BPF without libseccomp. */
#ifndef SUPERVISOR_SECCOMP_H
#define SUPERVISOR_SECCOMP_H

#include <stddef.h>

enum seccomp_list_mode {
  SECCOMP_LIST_NONE,    /* no filter */
  SECCOMP_LIST_RETAIN,  /* allow the listed syscalls, fail the others */
  SECCOMP_LIST_REMOVE,  /* fail the listed syscalls, allow the others */
};

struct seccomp_spec {
  enum seccomp_list_mode mode;
  int *syscalls;        /* x86_64 syscall numbers, without duplicates */
  size_t count;
  int error_number;     /* errno returned by a failed syscall; EPERM unless given */
};

/*
 * Parses "" (no filter), "retain:NAME,..." or "remove:NAME,...", each optionally followed
 * by ";errno=NAME" or ";errno=NUMBER". Names unknown on x86_64 are skipped, because such
 * a syscall cannot be made there anyway. Returns 0, or -1 with a reason in error.
 */
int seccomp_parse(const char *value, struct seccomp_spec *spec, char *error);

/*
 * Installs the filter on this process (needs CAP_SYS_ADMIN or no_new_privs). Returns 0,
 * or -1 with a reason in error. Does nothing for SECCOMP_LIST_NONE.
 */
int seccomp_install(const struct seccomp_spec *spec, char *error);

/* Returns the x86_64 number of a syscall name, or -1. */
int seccomp_syscall_number(const char *name);

#endif
