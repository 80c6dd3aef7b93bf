/* Starting the container's process: the child of run mode, or exec mode itself. */
#ifndef SUPERVISOR_CHILD_H
#define SUPERVISOR_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "identity.h"
#include "spec.h"

/* Exit code and status exit_code when the child fails before its program runs. */
#define EXIT_SETUP_FAILED 128

/* Sources of the child's stdin, stdout and stderr. */
struct child_stdio {
  int tty_slave;        /* the pseudo-terminal for all three, or -1 */
  int stdin_read;       /* without a terminal: the stdin pipe's read end, or -1 for /dev/null */
  int stdout_write;
  int stderr_write;
};

/*
 * Applies the spec to this process. With readonly_rootfs=1, / becomes read-only first,
 * because that needs CAP_SYS_ADMIN. Then, in this order: with no_new_privs=0 the seccomp
 * filter (while privileged, which the kernel requires), then the identity, the working
 * directory, no_new_privs, and with no_new_privs=1 the seccomp filter last, so the setup's
 * own syscalls never meet it. with_seccomp is false in run mode, where rkt installs the
 * filter. Returns 0, or -1 with the reason in error.
 */
int apply_container_settings(const struct spec *spec, const struct identity *identity,
                             bool with_seccomp, char *error);

/*
 * Forks the child: a new session, its stdio, the container settings, then the program.
 * Waits until the program runs. Returns the child's pid, or -1 when it could not start,
 * with the exit code (EXIT_NOT_FOUND, EXIT_NOT_EXECUTABLE or EXIT_SETUP_FAILED) and the
 * reason in error.
 */
pid_t child_start(const struct spec *spec, const struct identity *identity, char *const argv[],
                  char *const environment[], const struct child_stdio *stdio, bool with_seccomp,
                  int *exit_code, char *error);

#endif
