/* Signal handling shared by run mode and the TTY relay of exec mode. */
#ifndef SUPERVISOR_SIGNALS_H
#define SUPERVISOR_SIGNALS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Blocks SIGCHLD and the forwarded signals (SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
 * SIGUSR2), ignores SIGPIPE, and returns a nonblocking signalfd for the blocked ones.
 * Returns -1 with the reason in error.
 */
int signals_block(char *error);

/* Sends number to the child's process group, or to the child before its setsid. */
void signals_send(pid_t child, int number);

/*
 * Returns the poll timeout in ms for reading the output left after the child exited.
 * Output is read until end of file, or until none arrived for 100 ms because a grandchild
 * may hold it open, but for at most 2 s after the exit. Returns 0 when reading is over.
 */
int drain_timeout(int64_t exited_at, int64_t last_output_at, bool output_open);

#endif
