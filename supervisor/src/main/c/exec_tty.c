#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "exec.h"
#include "input.h"
#include "program.h"
#include "pty.h"
#include "signals.h"
#include "util.h"

#define READ_CHUNK_SIZE 65536
#define RESIZE_LINE_MAX 64

enum poll_slot { SLOT_SIGNALS, SLOT_STDIN, SLOT_OUTPUT, SLOT_INPUT, SLOT_RESIZE, SLOT_COUNT };

struct relay {
  int signal_fd;
  int master;           /* -1 once the terminal has no more output */
  int resize_fd;        /* -1 without --resize-fifo */
  bool stdin_open;
  struct input input;
  char resize_line[RESIZE_LINE_MAX];
  size_t resize_length;
  pid_t child;
  int wait_status;
  bool child_exited;
  int64_t exited_at;
  int64_t last_output_at;
};

/* Applies every complete "<columns> <rows>" line read from the resize FIFO. */
static void read_resize(struct relay *relay) {
  char data[256];
  ssize_t count = read(relay->resize_fd, data, sizeof data);
  for (ssize_t i = 0; i < count; i++) {
    if (data[i] != '\n') {
      if (relay->resize_length + 1 < sizeof relay->resize_line) {
        relay->resize_line[relay->resize_length++] = data[i];
      }
      continue;
    }
    relay->resize_line[relay->resize_length] = '\0';
    relay->resize_length = 0;
    char *rows_text = strchr(relay->resize_line, ' ');
    unsigned long columns;
    unsigned long rows;
    if (rows_text != NULL) {
      *rows_text++ = '\0';
    }
    if (rows_text != NULL && parse_number(relay->resize_line, 65535, &columns) == 0
        && parse_number(rows_text, 65535, &rows) == 0 && relay->master >= 0) {
      pty_resize(relay->master, (unsigned short)columns, (unsigned short)rows);
    }
  }
}

static void read_signals(struct relay *relay) {
  struct signalfd_siginfo info;
  while (read(relay->signal_fd, &info, sizeof info) == sizeof info) {
    if ((int)info.ssi_signo != SIGCHLD) {
      if (!relay->child_exited) {
        signals_send(relay->child, (int)info.ssi_signo);
      }
    } else if (!relay->child_exited && waitpid(relay->child, &relay->wait_status, WNOHANG) > 0) {
      relay->child_exited = true;
      relay->exited_at = monotonic_ns();
    }
  }
}

static void read_output(struct relay *relay) {
  static char data[READ_CHUNK_SIZE];
  ssize_t count = read(relay->master, data, sizeof data);
  if (count < 0 && (errno == EAGAIN || errno == EINTR)) {
    return;
  }
  if (count <= 0 || write_all(STDOUT_FILENO, data, (size_t)count) != 0) {
    /* EIO: no process has the terminal open any more. */
    close(relay->master);
    relay->master = -1;
    input_init(&relay->input, -1, true);
    return;
  }
  relay->last_output_at = monotonic_ns();
}

static void read_stdin(struct relay *relay) {
  char data[INPUT_BUFFER_SIZE];
  size_t room = input_room(&relay->input);
  ssize_t count = read(STDIN_FILENO, data, room < sizeof data ? room : sizeof data);
  if (count > 0) {
    input_push(&relay->input, data, (size_t)count);
  } else if (count == 0 || (errno != EAGAIN && errno != EINTR)) {
    relay->stdin_open = false;
    input_close(&relay->input);
  }
}

static void relay_loop(struct relay *relay) {
  struct pollfd slots[SLOT_COUNT];
  for (;;) {
    int timeout = !relay->child_exited ? -1
                  : drain_timeout(relay->exited_at, relay->last_output_at, relay->master >= 0);
    if (timeout == 0) {
      return;
    }
    bool room = input_room(&relay->input) > 0;
    slots[SLOT_SIGNALS] = (struct pollfd){.fd = relay->signal_fd, .events = POLLIN};
    slots[SLOT_STDIN] = (struct pollfd){.fd = relay->stdin_open && room ? STDIN_FILENO : -1,
                                        .events = POLLIN};
    slots[SLOT_OUTPUT] = (struct pollfd){.fd = relay->master, .events = POLLIN};
    slots[SLOT_INPUT] = (struct pollfd){
        .fd = input_wants_write(&relay->input) ? relay->input.fd : -1, .events = POLLOUT};
    slots[SLOT_RESIZE] = (struct pollfd){.fd = relay->resize_fd, .events = POLLIN};
    if (poll(slots, SLOT_COUNT, timeout) < 0 && errno != EINTR) {
      warn_message("poll failed: %s", strerror(errno));
      return;
    }
    if (slots[SLOT_OUTPUT].revents != 0) {
      read_output(relay);
    }
    if (slots[SLOT_SIGNALS].revents != 0) {
      read_signals(relay);
    }
    if (slots[SLOT_STDIN].revents != 0) {
      read_stdin(relay);
    }
    if (slots[SLOT_INPUT].revents != 0) {
      input_flush(&relay->input);
    }
    if (slots[SLOT_RESIZE].revents != 0) {
      read_resize(relay);
    }
  }
}

/* Ends this process the way the program ended, so rkt enter reports the same. */
static int exit_like(int wait_status) {
  if (!WIFSIGNALED(wait_status)) {
    return WEXITSTATUS(wait_status);
  }
  int number = WTERMSIG(wait_status);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  reset_signals();
  raise(number);
  return 128 + number; /* for a signal whose default action does not end the process */
}

int exec_tty_relay(const struct spec *spec, const struct identity *identity, char *const argv[],
                   char *const environment[], bool with_stdin, const char *resize_fifo) {
  char error[ERROR_SIZE];
  static struct relay relay;
  relay.resize_fd = -1;
  relay.stdin_open = with_stdin;
  int slave;
  relay.signal_fd = signals_block(error);
  if (relay.signal_fd < 0 || pty_open(&relay.master, &slave, error) != 0) {
    warn_message("%s", error);
    return EXIT_SUPERVISOR_FAILED;
  }
  if (resize_fifo != NULL) {
    relay.resize_fd = open_fifo(AT_FDCWD, resize_fifo, O_RDWR | O_NONBLOCK, error);
    if (relay.resize_fd < 0) {
      warn_message("%s", error);
      return EXIT_SUPERVISOR_FAILED;
    }
  }
  struct child_stdio stdio = {.tty_slave = slave, .stdin_read = -1};
  int exit_code;
  relay.child = child_start(spec, identity, argv, environment, &stdio, true, &exit_code, error);
  close(slave);
  if (relay.child < 0) {
    warn_message("%s", error);
    return exit_code == EXIT_SETUP_FAILED ? EXIT_SUPERVISOR_FAILED : exit_code;
  }
  input_init(&relay.input, with_stdin ? relay.master : -1, true);
  relay_loop(&relay);
  signals_send(relay.child, SIGKILL);
  if (!relay.child_exited) {
    waitpid(relay.child, &relay.wait_status, 0);
  }
  return exit_like(relay.wait_status);
}
