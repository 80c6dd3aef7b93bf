#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "program.h"
#include "util.h"

extern char **environ;

static int usage(void) {
  warn_message("usage: supervisor launch --cgroup-procs=FILE [--cgroup-procs=FILE...] -- "
               "PROGRAM [ARGS...]");
  return EXIT_SUPERVISOR_FAILED;
}

/* Moves this process into a cgroup by writing its pid into that cgroup's cgroup.procs. */
static int join_cgroup(const char *procs_file) {
  char pid[32];
  int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
  int fd = open(procs_file, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write_all(fd, pid, (size_t)length) != 0) {
    warn_message("cannot write pid %d to %s: %s", (int)getpid(), procs_file, strerror(errno));
    if (fd >= 0) {
      close(fd);
    }
    return -1;
  }
  if (close(fd) != 0) {
    warn_message("cannot write pid %d to %s: %s", (int)getpid(), procs_file, strerror(errno));
    return -1;
  }
  return 0;
}

int launch_main(int argc, char **argv) {
  int separator = -1;
  for (int i = 2; i < argc && separator < 0; i++) {
    if (strcmp(argv[i], "--") == 0) {
      separator = i;
    } else if (strncmp(argv[i], "--cgroup-procs=", 15) != 0 || argv[i][15] == '\0') {
      warn_message("invalid launch option \"%s\"", argv[i]);
      return usage();
    }
  }
  if (separator < 0 || separator + 1 >= argc) {
    return usage();
  }
  for (int i = 2; i < separator; i++) {
    if (join_cgroup(argv[i] + 15) != 0) {
      return EXIT_SUPERVISOR_FAILED;
    }
  }
  if (setsid() < 0) {
    warn_message("cannot start a new session: %s (the launcher must not be a process group "
                 "leader)", strerror(errno));
    return EXIT_SUPERVISOR_FAILED;
  }
  char error[ERROR_SIZE];
  int exit_code = program_exec(argv + separator + 1, environ, error);
  warn_message("%s", error);
  return exit_code;
}
