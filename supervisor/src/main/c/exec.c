#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "program.h"
#include "util.h"

struct exec_options {
  bool tty;
  bool stdin;
  bool cgroup_wait;
  const char *resize_fifo;
  char **argv;          /* PROGRAM ARGS..., NULL-terminated */
};

static int usage(void) {
  warn_message("usage: supervisor exec [--tty] [--stdin] [--no-cgroup-wait] "
               "[--resize-fifo=PATH] -- PROGRAM [ARGS...]");
  return EXIT_SUPERVISOR_FAILED;
}

/* Accepts an absolute path, or a plain file name that lives in the container directory. */
static bool valid_fifo_path(const char *path) {
  if (path[0] == '/') {
    return true;
  }
  return path[0] != '\0' && strchr(path, '/') == NULL && strcmp(path, ".") != 0
         && strcmp(path, "..") != 0;
}

static int parse_options(int argc, char **argv, struct exec_options *options) {
  *options = (struct exec_options){.cgroup_wait = true};
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      options->argv = argv + i + 1;
      return i + 1 < argc ? 0 : -1;
    }
    if (strcmp(argv[i], "--tty") == 0) {
      options->tty = true;
    } else if (strcmp(argv[i], "--stdin") == 0) {
      options->stdin = true;
    } else if (strcmp(argv[i], "--no-cgroup-wait") == 0) {
      options->cgroup_wait = false;
    } else if (strncmp(argv[i], "--resize-fifo=", 14) == 0 && valid_fifo_path(argv[i] + 14)) {
      options->resize_fifo = argv[i] + 14;
    } else {
      warn_message("invalid exec option \"%s\"", argv[i]);
      return -1;
    }
  }
  return -1;
}

/* Reads the spec and environment of the container this binary belongs to, and stores the
 * container directory's path in dir (dir_size bytes). */
static int load_container(struct spec *spec, char ***environment, struct identity *identity,
                          char *dir, size_t dir_size, char *error) {
  if (find_container_dir(dir, dir_size, error) != 0) {
    return -1;
  }
  int dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    return set_error(error, "cannot open the container directory %s: %s", dir, strerror(errno));
  }
  bool loaded = spec_load(dir_fd, spec, error) == 0
                && environment_load(dir_fd, environment, error) == 0
                && identity_resolve(spec, identity, error) == 0;
  close(dir_fd);
  return loaded ? 0 : -1;
}

int exec_main(int argc, char **argv) {
  struct exec_options options;
  if (parse_options(argc, argv, &options) != 0) {
    return usage();
  }
  if (options.cgroup_wait) {
    /* rktlet waits for this process to stop, moves it into the app's cgroup from the
     * host, and sends SIGCONT, so nothing below runs outside the container's cgroup. */
    raise(SIGSTOP);
  }

  char error[ERROR_SIZE];
  struct spec spec;
  char **environment;
  struct identity identity;
  char dir[4096];
  if (load_container(&spec, &environment, &identity, dir, sizeof dir, error) != 0) {
    warn_message("%s", error);
    return EXIT_SUPERVISOR_FAILED;
  }
  if (options.tty) {
    char fifo[4096 + 256];
    const char *resize_fifo = options.resize_fifo;
    if (resize_fifo != NULL && resize_fifo[0] != '/') {
      /* A plain name is a file of the container directory, whatever that directory is
       * called where this process runs (/.rktlet in a pod). */
      snprintf(fifo, sizeof fifo, "%s/%s", dir, resize_fifo);
      resize_fifo = fifo;
    }
    return exec_tty_relay(&spec, &identity, options.argv, environment, options.stdin,
                          resize_fifo);
  }

  int null = options.stdin ? -1 : open("/dev/null", O_RDONLY);
  if (null >= 0 && null != STDIN_FILENO) {
    dup2(null, STDIN_FILENO);
    close(null);
  }

  reset_signals();
  if (apply_container_settings(&spec, &identity, true, error) != 0) {
    warn_message("%s", error);
    return EXIT_SUPERVISOR_FAILED;
  }
  int exit_code = program_exec(options.argv, environment, error);
  warn_message("%s", error);
  return exit_code;
}
