/* Exec mode: runs a command inside a running container with the container's settings. */
#ifndef SUPERVISOR_EXEC_H
#define SUPERVISOR_EXEC_H

#include <stdbool.h>

#include "identity.h"
#include "spec.h"

/*
 * "supervisor exec [--tty] [--stdin] [--no-cgroup-wait] [--resize-fifo=PATH] -- PROGRAM
 * ARGS...". Without --tty the supervisor becomes PROGRAM; returns only on failure.
 */
int exec_main(int argc, char **argv);

/*
 * Runs PROGRAM on a new pseudo-terminal and relays between it and this process's stdio;
 * window sizes come from resize_fifo when not NULL. Returns the exit code, or re-raises
 * the signal that killed the program.
 */
int exec_tty_relay(const struct spec *spec, const struct identity *identity, char *const argv[],
                   char *const environment[], bool with_stdin, const char *resize_fifo);

#endif
