#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>

#include "util.h"

#define DRAIN_IDLE_NS (100 * 1000000LL)
#define DRAIN_MAX_NS (2000 * 1000000LL)

static const int FORWARDED_SIGNALS[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

int signals_block(char *error) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGCHLD);
  for (size_t i = 0; i < sizeof FORWARDED_SIGNALS / sizeof FORWARDED_SIGNALS[0]; i++) {
    sigaddset(&signals, FORWARDED_SIGNALS[i]);
  }
  if (sigprocmask(SIG_BLOCK, &signals, NULL) != 0) {
    return set_error(error, "cannot block signals: %s", strerror(errno));
  }
  signal(SIGPIPE, SIG_IGN);
  int fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) {
    return set_error(error, "cannot create a signalfd: %s", strerror(errno));
  }
  return fd;
}

void signals_send(pid_t child, int number) {
  if (kill(-child, number) != 0 && errno == ESRCH) {
    kill(child, number);
  }
}

int drain_timeout(int64_t exited_at, int64_t last_output_at, bool output_open) {
  if (!output_open) {
    return 0;
  }
  int64_t last = last_output_at > exited_at ? last_output_at : exited_at;
  int64_t deadline = last + DRAIN_IDLE_NS;
  if (deadline > exited_at + DRAIN_MAX_NS) {
    deadline = exited_at + DRAIN_MAX_NS;
  }
  int64_t left = deadline - monotonic_ns();
  return left <= 0 ? 0 : (int)((left + 999999) / 1000000);
}
