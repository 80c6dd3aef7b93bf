/*
 * rktlet's supervisor: runs inside every container (rkt app) and owns its I/O. See
 * README.md next to this module for the protocol.
 */
#include <stdio.h>
#include <string.h>

#include "connect.h"
#include "exec.h"
#include "launch.h"
#include "run.h"
#include "util.h"

static const char USAGE[] =
    "usage: supervisor run\n"
    "       supervisor exec [--tty] [--stdin] [--no-cgroup-wait] [--resize-fifo=PATH] -- "
    "PROGRAM [ARGS...]\n"
    "       supervisor launch --cgroup-procs=FILE [--cgroup-procs=FILE...] -- PROGRAM "
    "[ARGS...]\n"
    "       supervisor connect [--announce] HOST PORT\n";

int main(int argc, char **argv) {
  /* Descriptors 0 to 2 must be taken, or a pipe could land on them and be lost to dup2. */
  ensure_standard_fds();
  if (argc >= 2 && strcmp(argv[1], "run") == 0) {
    return run_main(argc, argv);
  }
  if (argc >= 2 && strcmp(argv[1], "exec") == 0) {
    return exec_main(argc, argv);
  }
  if (argc >= 2 && strcmp(argv[1], "launch") == 0) {
    return launch_main(argc, argv);
  }
  if (argc >= 2 && strcmp(argv[1], "connect") == 0) {
    return connect_main(argc, argv);
  }
  if (argc == 2 && strcmp(argv[1], "--help") == 0) {
    fputs(USAGE, stdout);
    return 0;
  }
  fputs(USAGE, stderr);
  return EXIT_SUPERVISOR_FAILED;
}
