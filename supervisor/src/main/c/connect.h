/*
 * Connect mode: relays this process's stdin and stdout to a TCP connection, for port
 * forwarding inside a pod's network namespace.
 */
#ifndef SUPERVISOR_CONNECT_H
#define SUPERVISOR_CONNECT_H

/* Exit code when the connection cannot be made or a read or write fails. */
#define EXIT_CONNECT_FAILED 1

/* The line that "--announce" writes on stderr once the connection is made. */
#define CONNECT_ANNOUNCEMENT "connected\n"

/*
 * "supervisor connect [--announce] HOST PORT". With --announce, CONNECT_ANNOUNCEMENT goes to
 * stderr as soon as the connection is made, so the caller need not guess when a connect
 * has failed. Returns 0 once both directions have ended,
 * EXIT_CONNECT_FAILED with a message on stderr, or EXIT_SUPERVISOR_FAILED for invalid
 * arguments.
 */
int connect_main(int argc, char **argv);

#endif
