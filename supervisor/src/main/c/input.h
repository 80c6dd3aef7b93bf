/*
 * The child's stdin: a buffer of bytes from the stdin FIFO and attach clients, written to
 * a pipe or to the pseudo-terminal without ever blocking the supervisor.
 */
#ifndef SUPERVISOR_INPUT_H
#define SUPERVISOR_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#define INPUT_BUFFER_SIZE 65536

struct input {
  int fd;               /* pipe write end or pty master; -1 when the child has no stdin */
  bool tty;             /* fd is the pty master, which the output side owns */
  bool open;            /* false once stdin is closed, or when there is none */
  bool close_requested; /* close once the buffer is written */
  char buffer[INPUT_BUFFER_SIZE];
  size_t start;
  size_t length;
};

/* Starts with fd (nonblocking), or closed when fd is -1. */
void input_init(struct input *input, int fd, bool tty);

/*
 * Returns how many bytes input_push takes now: the free buffer space, or
 * INPUT_BUFFER_SIZE once stdin is closed (such bytes are dropped).
 */
size_t input_room(const struct input *input);

/* Queues at most input_room() bytes. */
void input_push(struct input *input, const char *data, size_t length);

/* True when there is something to write and the caller should poll fd for POLLOUT. */
bool input_wants_write(const struct input *input);

/* Writes as much of the buffer as fd takes, then closes stdin if that was requested. */
void input_flush(struct input *input);

/*
 * Closes the child's stdin after the buffered bytes: a pipe is closed, and a terminal gets
 * its end-of-file character (VEOF, usually ^D), as if typed at the start of a line.
 */
void input_close(struct input *input);

#endif
