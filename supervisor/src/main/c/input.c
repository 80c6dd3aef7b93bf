#include "input.h"

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void input_init(struct input *input, int fd, bool tty) {
  input->fd = fd;
  input->tty = tty;
  input->open = fd >= 0;
  input->close_requested = false;
  input->start = 0;
  input->length = 0;
}

static bool accepting(const struct input *input) {
  return input->open && !input->close_requested;
}

size_t input_room(const struct input *input) {
  return accepting(input) ? INPUT_BUFFER_SIZE - input->length : INPUT_BUFFER_SIZE;
}

void input_push(struct input *input, const char *data, size_t length) {
  if (!accepting(input)) {
    return;
  }
  if (input->start + input->length + length > INPUT_BUFFER_SIZE) {
    memmove(input->buffer, input->buffer + input->start, input->length);
    input->start = 0;
  }
  memcpy(input->buffer + input->start + input->length, data, length);
  input->length += length;
}

bool input_wants_write(const struct input *input) {
  return input->open && (input->length > 0 || input->close_requested);
}

/* Marks stdin closed. A pipe's write end is closed, but the pty master stays with its owner. */
static void finish(struct input *input) {
  if (!input->tty && input->fd >= 0) {
    close(input->fd);
  }
  input->fd = -1;
  input->open = false;
  input->length = 0;
}

/* Sends the terminal's end-of-file character. Returns false when it must be retried. */
static bool send_end_of_file(struct input *input) {
  struct termios settings;
  cc_t end_of_file = 4; /* ^D, the usual VEOF */
  if (tcgetattr(input->fd, &settings) == 0 && settings.c_cc[VEOF] != _POSIX_VDISABLE) {
    end_of_file = settings.c_cc[VEOF];
  }
  ssize_t written = write(input->fd, &end_of_file, 1);
  return !(written < 0 && (errno == EAGAIN || errno == EINTR));
}

void input_flush(struct input *input) {
  while (input->open && input->length > 0) {
    ssize_t written = write(input->fd, input->buffer + input->start, input->length);
    if (written < 0 && (errno == EAGAIN || errno == EINTR)) {
      return;
    }
    if (written < 0) {
      /* EPIPE or EIO: the child closed its stdin or is gone, so nothing would read it. */
      finish(input);
      return;
    }
    input->start += (size_t)written;
    input->length -= (size_t)written;
    if (input->length == 0) {
      input->start = 0;
    }
  }
  if (input->open && input->close_requested) {
    if (input->tty && !send_end_of_file(input)) {
      return;
    }
    finish(input);
  }
}

void input_close(struct input *input) {
  if (!input->open) {
    return;
  }
  input->close_requested = true;
  input_flush(input);
}
