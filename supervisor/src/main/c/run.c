#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach.h"
#include "child.h"
#include "control.h"
#include "identity.h"
#include "input.h"
#include "log.h"
#include "pty.h"
#include "signals.h"
#include "spec.h"
#include "status.h"
#include "util.h"

#define STDIN_FIFO "stdin"
#define READ_CHUNK_SIZE 65536
/* How long a changed log record count may wait before the status file shows it. */
#define STATUS_REFRESH_NS (5 * 1000000000LL)

enum poll_slot {
  SLOT_SIGNALS,
  SLOT_CONTROL,
  SLOT_STDIN_FIFO,
  SLOT_STDOUT,
  SLOT_STDERR,
  SLOT_STDIN_TARGET,
  SLOT_ATTACH,
  SLOT_COUNT = SLOT_ATTACH + ATTACH_POLL_SLOTS,
};

struct run {
  struct spec spec;
  struct command command;
  struct identity identity;
  struct status status;
  struct log_file log;
  struct log_stream stdout_stream;
  struct log_stream stderr_stream;
  struct input input;
  struct control control;
  struct attach_server attach;
  int signal_fd;
  int stdin_fifo;               /* -1 without stdin=1, or after stdin_once saw end of file */
  int stdin_fifo_writer;        /* held without stdin_once, so the FIFO never ends */
  int stdout_fd;                /* the pty master with tty=1; -1 after end of file */
  int stderr_fd;                /* -1 with tty=1 or after end of file */
  int tty_master;               /* -1 without a terminal */
  pid_t child;
  bool child_exited;
  int64_t exited_at;            /* monotonic ns */
  int64_t last_output_at;       /* monotonic ns */
  int64_t status_written_at;    /* monotonic ns */
};

static void write_status(struct run *run) {
  run->status.records = run->log.records;
  run->status_written_at = monotonic_ns();
  if (status_write(AT_FDCWD, &run->status) != 0) {
    warn_message("cannot write the status file: %s", strerror(errno));
  }
}

/* Records that the child could not start and exits with exit_code. */
static void fail_start(struct run *run, int exit_code, const char *error) {
  warn_message("%s", error);
  run->status.state = "failed";
  run->status.exit_code = exit_code;
  run->status.finished_at = realtime_ns();
  snprintf(run->status.error, sizeof run->status.error, "%s", error);
  write_status(run);
  exit(exit_code);
}

static void send_signal(struct run *run, int number) {
  if (run->child > 0 && !run->child_exited) {
    signals_send(run->child, number);
  }
}

static size_t stdin_room(void *context) {
  return input_room(&((struct run *)context)->input);
}

static void stdin_data(void *context, const char *data, size_t length) {
  input_push(&((struct run *)context)->input, data, length);
}

static void resize(void *context, unsigned short columns, unsigned short rows) {
  struct run *run = context;
  if (run->tty_master >= 0 && pty_resize(run->tty_master, columns, rows) != 0) {
    warn_message("cannot resize the terminal: %s", strerror(errno));
  }
}

static void close_stdin(void *context) {
  input_close(&((struct run *)context)->input);
}

static void handle_control(void *context, enum control_command command, int argument) {
  struct run *run = context;
  switch (command) {
    case CONTROL_SIGNAL:
      send_signal(run, argument);
      break;
    case CONTROL_REOPEN:
      /* Everything read so far is in the old file; a partial line stays pending. */
      log_reopen(&run->log);
      run->status.reopened++;
      snprintf(run->status.log_error, sizeof run->status.log_error, "%s", run->log.error);
      run->log.error_changed = false;
      write_status(run);
      break;
    case CONTROL_CLOSE_STDIN:
      input_close(&run->input);
      break;
  }
}

static int open_stdin_fifo(struct run *run, char *error) {
  run->stdin_fifo = -1;
  run->stdin_fifo_writer = -1;
  if (!run->spec.stdin) {
    return 0;
  }
  run->stdin_fifo = open_fifo(AT_FDCWD, STDIN_FIFO, O_RDONLY | O_NONBLOCK, error);
  if (run->stdin_fifo < 0) {
    return -1;
  }
  if (!run->spec.stdin_once) {
    run->stdin_fifo_writer = open_fifo(AT_FDCWD, STDIN_FIFO, O_WRONLY | O_NONBLOCK, error);
  }
  return run->stdin_fifo_writer < 0 && !run->spec.stdin_once ? -1 : 0;
}

/* Creates the child's pipes or pseudo-terminal and the parent's ends of them. */
static int create_stdio(struct run *run, struct child_stdio *stdio, char *error) {
  *stdio = (struct child_stdio){.tty_slave = -1, .stdin_read = -1};
  run->tty_master = -1;
  run->stderr_fd = -1;
  if (run->spec.tty) {
    if (pty_open(&run->tty_master, &stdio->tty_slave, error) != 0) {
      return -1;
    }
    run->stdout_fd = run->tty_master;
    input_init(&run->input, run->spec.stdin ? run->tty_master : -1, true);
    return 0;
  }

  int out[2];
  int err[2];
  int in[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0
      || (run->spec.stdin && pipe2(in, O_CLOEXEC) != 0)) {
    return set_error(error, "cannot create pipes: %s", strerror(errno));
  }
  set_nonblocking(out[0]);
  set_nonblocking(err[0]);
  if (in[1] >= 0) {
    set_nonblocking(in[1]);
  }

  run->stdout_fd = out[0];
  run->stderr_fd = err[0];
  stdio->stdout_write = out[1];
  stdio->stderr_write = err[1];
  stdio->stdin_read = in[0];
  input_init(&run->input, in[1], false);
  return 0;
}

static void close_child_ends(const struct child_stdio *stdio) {
  int fds[] = {stdio->tty_slave, stdio->stdin_read, stdio->stdout_write, stdio->stderr_write};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
    if (fds[i] >= 0) {
      close(fds[i]);
    }
  }
}

/* Collects the child's exit status. Only the final call, after SIGKILL, blocks. */
static void reap_child(struct run *run, bool block) {
  int wait_status;
  if (run->child_exited || waitpid(run->child, &wait_status, block ? 0 : WNOHANG) != run->child) {
    return;
  }
  run->child_exited = true;
  run->exited_at = monotonic_ns();
  run->status.finished_at = realtime_ns();
  if (WIFSIGNALED(wait_status)) {
    run->status.signal = WTERMSIG(wait_status);
    run->status.exit_code = 128 + WTERMSIG(wait_status);
  } else {
    run->status.exit_code = WEXITSTATUS(wait_status);
  }
}

static void read_signals(struct run *run) {
  struct signalfd_siginfo info;
  while (read(run->signal_fd, &info, sizeof info) == sizeof info) {
    if ((int)info.ssi_signo == SIGCHLD) {
      reap_child(run, false);
    } else {
      send_signal(run, (int)info.ssi_signo);
    }
  }
}

/* Reads one chunk of output into the log and to attach clients; closes fd at end of file. */
static void read_output(struct run *run, int *fd, struct log_stream *stream,
                        enum attach_stream attach_stream) {
  static char data[READ_CHUNK_SIZE];
  ssize_t count = read(*fd, data, sizeof data);
  if (count < 0 && (errno == EAGAIN || errno == EINTR)) {
    return;
  }
  if (count <= 0) {
    /* End of file. A pty master reports EIO instead, once no process has the slave open. */
    log_flush(&run->log, stream);
    close(*fd);
    if (*fd == run->tty_master) {
      run->tty_master = -1;
      input_init(&run->input, -1, true);
    }
    *fd = -1;
    return;
  }
  run->last_output_at = monotonic_ns();
  log_write(&run->log, stream, data, (size_t)count);
  attach_broadcast(&run->attach, attach_stream, data, (size_t)count);
}

static void read_stdin_fifo(struct run *run) {
  char data[INPUT_BUFFER_SIZE];
  size_t room = input_room(&run->input);
  ssize_t count = read(run->stdin_fifo, data, room < sizeof data ? room : sizeof data);
  if (count > 0) {
    input_push(&run->input, data, (size_t)count);
  } else if (count == 0) {
    /* Every writer has gone. This happens only with stdin_once, because otherwise the
     * supervisor keeps a writer of its own open. */
    close(run->stdin_fifo);
    run->stdin_fifo = -1;
    input_close(&run->input);
  }
}

static void fill_poll(struct run *run, struct pollfd *slots) {
  bool stdin_room = input_room(&run->input) > 0;
  slots[SLOT_SIGNALS] = (struct pollfd){.fd = run->signal_fd, .events = POLLIN};
  slots[SLOT_CONTROL] = (struct pollfd){.fd = run->control.fd, .events = POLLIN};
  slots[SLOT_STDIN_FIFO] =
      (struct pollfd){.fd = stdin_room ? run->stdin_fifo : -1, .events = POLLIN};
  slots[SLOT_STDOUT] = (struct pollfd){.fd = run->stdout_fd, .events = POLLIN};
  slots[SLOT_STDERR] = (struct pollfd){.fd = run->stderr_fd, .events = POLLIN};
  slots[SLOT_STDIN_TARGET] = (struct pollfd){
      .fd = input_wants_write(&run->input) ? run->input.fd : -1, .events = POLLOUT};
  attach_fill_poll(&run->attach, &slots[SLOT_ATTACH]);
}

/* Milliseconds until the status file must show new log records, or -1 when none are new. */
static int refresh_timeout(const struct run *run) {
  if (run->log.records == run->status.records) {
    return -1;
  }
  int64_t left = run->status_written_at + STATUS_REFRESH_NS - monotonic_ns();
  return left <= 0 ? 0 : (int)((left + 999999) / 1000000);
}

/* The earlier of two poll timeouts, where -1 means none. */
static int earlier(int a, int b) {
  if (a < 0) {
    return b;
  }
  return b < 0 || a < b ? a : b;
}

static void serve(struct run *run) {
  struct pollfd slots[SLOT_COUNT];
  for (;;) {
    int drain = !run->child_exited ? -1
                : drain_timeout(run->exited_at, run->last_output_at,
                                run->stdout_fd >= 0 || run->stderr_fd >= 0);
    if (drain == 0) {
      return;
    }
    int timeout = earlier(drain, refresh_timeout(run));
    fill_poll(run, slots);
    if (poll(slots, SLOT_COUNT, timeout) < 0) {
      if (errno == EINTR) {
        continue;
      }
      warn_message("poll failed: %s", strerror(errno));
      return;
    }
    /* Output comes first, so a reopen or the exit happens after every byte already read. */
    if (slots[SLOT_STDOUT].revents != 0) {
      read_output(run, &run->stdout_fd, &run->stdout_stream, ATTACH_STDOUT);
    }
    if (slots[SLOT_STDERR].revents != 0) {
      read_output(run, &run->stderr_fd, &run->stderr_stream, ATTACH_STDERR);
    }
    if (slots[SLOT_SIGNALS].revents != 0) {
      read_signals(run);
    }
    if (slots[SLOT_CONTROL].revents != 0) {
      control_read(&run->control, handle_control, run);
    }
    if (slots[SLOT_STDIN_FIFO].revents != 0) {
      read_stdin_fifo(run);
    }
    if (slots[SLOT_STDIN_TARGET].revents != 0) {
      input_flush(&run->input);
    }
    attach_handle_poll(&run->attach, &slots[SLOT_ATTACH]);
    if (run->log.error_changed) {
      snprintf(run->status.log_error, sizeof run->status.log_error, "%s", run->log.error);
      run->log.error_changed = false;
      write_status(run);
    } else if (refresh_timeout(run) == 0) {
      write_status(run);
    }
  }
}

/* Sets up everything the child needs; exits through fail_start on any error. */
static void prepare(struct run *run, struct child_stdio *stdio) {
  char error[ERROR_SIZE];
  char dir[4096];
  /* Signals are blocked first: a SIGTERM that comes early waits in the signalfd and then
   * goes to the child, instead of killing the supervisor without a status. */
  run->signal_fd = signals_block(error);
  if (run->signal_fd < 0 || find_container_dir(dir, sizeof dir, error) != 0) {
    warn_message("%s", error);
    exit(EXIT_SUPERVISOR_FAILED);
  }
  if (chdir(dir) != 0) {
    warn_message("cannot change to the container directory %s: %s", dir, strerror(errno));
    exit(EXIT_SUPERVISOR_FAILED);
  }

  if (spec_load(AT_FDCWD, &run->spec, error) != 0
      || command_load(AT_FDCWD, &run->command, error) != 0
      || identity_resolve(&run->spec, &run->identity, error) != 0) {
    fail_start(run, EXIT_SETUP_FAILED, error);
  }
  if (run->spec.log) {
    if (log_open(&run->log, AT_FDCWD, run->spec.log_file) != 0) {
      fail_start(run, EXIT_SETUP_FAILED, run->log.error);
    }
  } else {
    log_disable(&run->log);
  }
  log_stream_init(&run->stdout_stream, "stdout");
  log_stream_init(&run->stderr_stream, "stderr");

  struct attach_events events = {run, stdin_room, stdin_data, resize, close_stdin};
  if (control_open(&run->control, AT_FDCWD, error) != 0 || open_stdin_fifo(run, error) != 0
      || attach_listen(&run->attach, &events, error) != 0
      || create_stdio(run, stdio, error) != 0) {
    fail_start(run, EXIT_SETUP_FAILED, error);
  }
}

int run_main(int argc, char **argv) {
  (void)argv;
  if (argc != 2) {
    warn_message("usage: supervisor run (the command comes from the container directory)");
    return EXIT_SUPERVISOR_FAILED;
  }
  static struct run run;
  run.status.state = "running";
  struct child_stdio stdio;
  prepare(&run, &stdio);
  char error[ERROR_SIZE];
  int exit_code;
  run.child = child_start(&run.spec, &run.identity, run.command.argv, run.command.environment,
                          &stdio, false, &exit_code, error);
  close_child_ends(&stdio);
  if (run.child < 0) {
    fail_start(&run, exit_code, error);
  }
  run.status.pid = run.child;
  run.status.started_at = realtime_ns();
  write_status(&run);

  serve(&run);

  log_flush(&run.log, &run.stdout_stream);
  log_flush(&run.log, &run.stderr_stream);
  /* Processes the child left in its session would otherwise outlive the container. */
  kill(-run.child, SIGKILL);
  reap_child(&run, true);
  run.status.state = "exited";
  snprintf(run.status.log_error, sizeof run.status.log_error, "%s", run.log.error);
  write_status(&run);
  /* Attach clients see end of file only now, when the status file is final. */
  attach_close(&run.attach);
  return run.status.exit_code;
}
