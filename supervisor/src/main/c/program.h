/* Starting the container's program with execve, searching the container's PATH. */
#ifndef SUPERVISOR_PROGRAM_H
#define SUPERVISOR_PROGRAM_H

/* Exit codes a shell uses when a program cannot be run. */
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127

/* Search path used when the container's environment has no PATH. */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Replaces this process with argv[0], run with exactly the given environment. A name
 * without '/' is searched in the PATH of that environment (not the supervisor's). Returns
 * only on failure: EXIT_NOT_FOUND or EXIT_NOT_EXECUTABLE, with a message in error.
 */
int program_exec(char *const argv[], char *const environment[], char *error);

#endif
