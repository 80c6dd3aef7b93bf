/* Small helpers shared by every mode: errors, whole-file reads, writes, clocks. */
#ifndef SUPERVISOR_UTIL_H
#define SUPERVISOR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit code of the supervisor when it fails before it can run anything. */
#define EXIT_SUPERVISOR_FAILED 125

/* Size of the one-line error messages passed between functions. */
#define ERROR_SIZE 512

/* Prints "supervisor: MESSAGE" on stderr. */
void warn_message(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Formats into an error buffer of ERROR_SIZE bytes and returns -1. */
int set_error(char *error, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Writes the whole buffer, retrying after short writes and EINTR; returns 0 or -1. */
int write_all(int fd, const void *data, size_t length);

/*
 * Reads a whole file relative to dir_fd (or AT_FDCWD) into a new NUL-terminated buffer.
 * Returns NULL with errno set; files larger than max_size fail with EFBIG.
 */
char *read_file(int dir_fd, const char *name, size_t max_size, size_t *length);

/*
 * Splits a buffer of NUL-terminated strings into a new NULL-terminated array that points
 * into the buffer. A last string without its NUL is rejected (returns NULL, errno EINVAL).
 */
char **split_nul_strings(char *data, size_t length, size_t *count);

/* Parses a decimal number in [0, max]; returns 0 or -1 for anything else. */
int parse_number(const char *text, unsigned long max, unsigned long *value);

/* Wall-clock time in nanoseconds since the Unix epoch. */
int64_t realtime_ns(void);

/* Monotonic time in nanoseconds, for timeouts. */
int64_t monotonic_ns(void);

/* Sets O_NONBLOCK on the descriptor; returns 0 or -1. */
int set_nonblocking(int fd);

/* Looks up NAME in a NULL-terminated KEY=VALUE array; returns the value or NULL. */
const char *find_variable(char *const *environment, const char *name);

/*
 * Resets every signal to its default action and unblocks all signals, so a program
 * started with execve begins with a clean signal state.
 */
void reset_signals(void);

/*
 * Stores the container directory, two levels above /proc/self/exe (which must be
 * DIR/bin/supervisor), into path. Returns 0 or -1 with the reason in error.
 */
int find_container_dir(char *path, size_t size, char *error);

/*
 * Opens the FIFO name relative to dir_fd, creating it with mode 0600 when missing.
 * Returns the descriptor, or -1 with the reason in error (also when name is no FIFO).
 */
int open_fifo(int dir_fd, const char *name, int flags, char *error);

/* Opens /dev/null on any of descriptors 0, 1 and 2 that is closed. */
void ensure_standard_fds(void);

#endif
