/*
 * The container description that rktlet writes into the container directory: the spec
 * file (identity, I/O and seccomp settings, one key=value per line) and the argv and env
 * files (NUL-terminated strings).
 */
#ifndef SUPERVISOR_SPEC_H
#define SUPERVISOR_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seccomp.h"

struct spec {
  char *user;           /* numeric uid or name in /etc/passwd; empty means uid 0 */
  char *group;          /* numeric gid or name in /etc/group; empty means the user's group */
  gid_t *groups;        /* extra gids from groups= */
  size_t group_count;
  bool groups_merge;    /* groups_policy=merge: add the user's groups from /etc/group */
  bool caps_given;      /* false when the spec has no caps= line: keep the current set */
  uint64_t caps;        /* bit N set = capability N */
  uint64_t ambient;
  bool no_new_privs;
  bool readonly_rootfs; /* remount / read-only in a mount namespace of the process's own */
  char *cwd;            /* absolute path; "/" when the spec leaves it empty */
  bool tty;
  bool stdin;
  bool stdin_once;
  bool log;
  char *log_file;       /* file name in the container directory's log/ */
  struct seccomp_spec seccomp;
};

struct command {
  char **argv;          /* NULL-terminated; argv[0] is the program */
  size_t argc;
  char **environment;   /* NULL-terminated KEY=VALUE strings */
};

/* Reads DIR/spec. Returns 0, or -1 with a one-line reason in error (ERROR_SIZE bytes). */
int spec_load(int dir_fd, struct spec *spec, char *error);

/* Reads DIR/argv and DIR/env. Returns 0, or -1 with a one-line reason in error. */
int command_load(int dir_fd, struct command *command, char *error);

/* Reads DIR/env alone (exec mode takes its argv from the command line). */
int environment_load(int dir_fd, char ***environment, char *error);

#endif
