/* The status file: whether the child runs, and how it ended. */
#ifndef SUPERVISOR_STATUS_H
#define SUPERVISOR_STATUS_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct status {
  const char *state;            /* "running", "exited" or "failed" */
  pid_t pid;                    /* the child's pid in the supervisor's pid namespace */
  int64_t started_at;           /* Unix ns */
  int exit_code;                /* 0-255, or 128 + signal */
  int signal;                   /* the signal that killed the child, else 0 */
  int64_t finished_at;          /* Unix ns */
  char error[ERROR_SIZE];       /* why the child could not start (state "failed") */
  unsigned long reopened;       /* number of reopen commands handled */
  unsigned long records;        /* log records written so far */
  char log_error[ERROR_SIZE];   /* the last failure to open or write the log, else empty */
};

/*
 * Replaces DIR/status atomically (status.tmp, fsync, rename). Returns 0, or -1 with errno.
 */
int status_write(int dir_fd, const struct status *status);

#endif
