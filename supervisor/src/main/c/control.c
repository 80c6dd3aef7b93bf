#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int control_open(struct control *control, int dir_fd, char *error) {
  memset(control, 0, sizeof *control);
  control->fd = open_fifo(dir_fd, CONTROL_FIFO, O_RDWR | O_NONBLOCK, error);
  return control->fd < 0 ? -1 : 0;
}

static void run_command(char *line, control_handler handler, void *context) {
  size_t length = strlen(line);
  if (length > 0 && line[length - 1] == '\r') {
    line[length - 1] = '\0';
  }
  unsigned long number;
  if (strncmp(line, "signal ", 7) == 0 && parse_number(line + 7, SIGRTMAX, &number) == 0
      && number > 0) {
    handler(context, CONTROL_SIGNAL, (int)number);
  } else if (strcmp(line, "reopen") == 0) {
    handler(context, CONTROL_REOPEN, 0);
  } else if (strcmp(line, "close-stdin") == 0) {
    handler(context, CONTROL_CLOSE_STDIN, 0);
  } else {
    warn_message("ignoring invalid control command \"%s\"", line);
  }
}

void control_read(struct control *control, control_handler handler, void *context) {
  char data[4096];
  ssize_t count = read(control->fd, data, sizeof data);
  if (count <= 0) {
    return; /* EAGAIN. There is no end of file: the supervisor has the FIFO open for writing. */
  }
  for (ssize_t i = 0; i < count; i++) {
    if (data[i] != '\n') {
      if (control->length + 1 < sizeof control->line) {
        control->line[control->length++] = data[i];
      } else {
        control->overlong = true;
      }
      continue;
    }
    control->line[control->length] = '\0';
    if (control->overlong) {
      warn_message("ignoring a control command longer than %d bytes", CONTROL_LINE_MAX);
    } else {
      run_command(control->line, handler, context);
    }
    control->length = 0;
    control->overlong = false;
  }
}
