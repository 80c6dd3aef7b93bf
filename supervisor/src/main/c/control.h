/*
 * The control FIFO: newline-terminated commands from rktlet, "signal N", "reopen" and
 * "close-stdin".
 */
#ifndef SUPERVISOR_CONTROL_H
#define SUPERVISOR_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#define CONTROL_FIFO "control"
/* Longer lines are dropped whole; every valid command is far shorter. */
#define CONTROL_LINE_MAX 256

enum control_command {
  CONTROL_SIGNAL,       /* argument: the signal number */
  CONTROL_REOPEN,
  CONTROL_CLOSE_STDIN,
};

typedef void (*control_handler)(void *context, enum control_command command, int argument);

struct control {
  int fd;
  char line[CONTROL_LINE_MAX];
  size_t length;
  bool overlong;        /* dropping the rest of a line that did not fit */
};

/*
 * Opens the FIFO for reading and writing, so it never reports end of file when a writer
 * goes away. Returns 0, or -1 with the reason in error.
 */
int control_open(struct control *control, int dir_fd, char *error);

/* Reads what is available and calls handler for each complete, valid command. */
void control_read(struct control *control, control_handler handler, void *context);

#endif
