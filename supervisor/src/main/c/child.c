#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "program.h"
#include "pty.h"
#include "rootfs.h"
#include "seccomp.h"
#include "util.h"

/* Failure report that a child sends its parent through the close-on-exec pipe. */
struct start_failure {
  int exit_code;
  char error[ERROR_SIZE];
};

int apply_container_settings(const struct spec *spec, const struct identity *identity,
                             bool with_seccomp, char *error) {
  if (spec->readonly_rootfs && rootfs_make_readonly(error) != 0) {
    return -1;
  }
  bool seccomp_first = with_seccomp && !spec->no_new_privs;
  if (seccomp_first && seccomp_install(&spec->seccomp, error) != 0) {
    return -1;
  }
  if (identity_apply(spec, identity, error) != 0) {
    return -1;
  }
  if (chdir(spec->cwd) != 0) {
    return set_error(error, "cannot change to working directory %s: %s", spec->cwd,
                     strerror(errno));
  }
  if (spec->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return set_error(error, "cannot set no_new_privs: %s", strerror(errno));
  }
  if (with_seccomp && spec->no_new_privs && seccomp_install(&spec->seccomp, error) != 0) {
    return -1;
  }
  return 0;
}

static int connect_stdio(const struct child_stdio *stdio, char *error) {
  if (stdio->tty_slave >= 0) {
    return pty_become_controlling(stdio->tty_slave, error);
  }
  int input = stdio->stdin_read >= 0 ? stdio->stdin_read : open("/dev/null", O_RDONLY);
  if (input < 0 || dup2(input, 0) < 0 || dup2(stdio->stdout_write, 1) < 0
      || dup2(stdio->stderr_write, 2) < 0) {
    return set_error(error, "cannot set up stdin, stdout and stderr: %s", strerror(errno));
  }
  return 0;
}

/* Runs in the forked child; never returns. */
static void run_child(const struct spec *spec, const struct identity *identity,
                      char *const argv[], char *const environment[],
                      const struct child_stdio *stdio, bool with_seccomp, int report_fd) {
  struct start_failure failure = {.exit_code = EXIT_SETUP_FAILED};
  reset_signals();
  if (setsid() < 0) {
    set_error(failure.error, "cannot start a new session: %s", strerror(errno));
  } else if (connect_stdio(stdio, failure.error) == 0
             && apply_container_settings(spec, identity, with_seccomp, failure.error) == 0) {
    failure.exit_code = program_exec(argv, environment, failure.error);
  }
  (void)write_all(report_fd, &failure, sizeof failure);
  _exit(failure.exit_code);
}

pid_t child_start(const struct spec *spec, const struct identity *identity, char *const argv[],
                  char *const environment[], const struct child_stdio *stdio, bool with_seccomp,
                  int *exit_code, char *error) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    *exit_code = EXIT_SETUP_FAILED;
    return set_error(error, "cannot create a pipe: %s", strerror(errno));
  }
  /* glibc 2.36's fork() uses the clone syscall. posix_spawn would try clone3 first, which
   * rkt's default seccomp filter kills with SIGSYS. */
  pid_t pid = fork();
  if (pid < 0) {
    *exit_code = EXIT_SETUP_FAILED;
    close(report[0]);
    close(report[1]);
    return set_error(error, "cannot fork: %s", strerror(errno));
  }
  if (pid == 0) {
    close(report[0]);
    run_child(spec, identity, argv, environment, stdio, with_seccomp, report[1]);
  }
  close(report[1]);
  struct start_failure failure;
  size_t received = 0;
  while (received < sizeof failure) {
    ssize_t count = read(report[0], (char *)&failure + received, sizeof failure - received);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count <= 0) {
      break;
    }
    received += (size_t)count;
  }
  close(report[0]);
  if (received == 0) {
    return pid; /* the pipe closed at execve: the program runs */
  }
  waitpid(pid, NULL, 0);
  *exit_code = received == sizeof failure ? failure.exit_code : EXIT_SETUP_FAILED;
  if (received == sizeof failure) {
    memcpy(error, failure.error, ERROR_SIZE);
    error[ERROR_SIZE - 1] = '\0';
  } else {
    set_error(error, "the child failed before it could report why");
  }
  return -1;
}
