#include "status.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Appends "key=value\n", with line breaks in value turned into spaces. */
static size_t append_text(char *buffer, size_t used, size_t size, const char *key,
                          const char *value) {
  int written = snprintf(buffer + used, size - used, "%s=%s\n", key, value);
  if (written < 0 || (size_t)written >= size - used) {
    return used;
  }
  for (char *p = buffer + used + strlen(key) + 1; p < buffer + used + written - 1; p++) {
    if (*p == '\n' || *p == '\r') {
      *p = ' ';
    }
  }
  return used + (size_t)written;
}

static size_t append_number(char *buffer, size_t used, size_t size, const char *key,
                            int64_t value) {
  char text[32];
  snprintf(text, sizeof text, "%" PRId64, value);
  return append_text(buffer, used, size, key, text);
}

int status_write(int dir_fd, const struct status *status) {
  char buffer[4 * ERROR_SIZE];
  size_t size = sizeof buffer;
  size_t used = append_text(buffer, 0, size, "state", status->state);
  bool failed = strcmp(status->state, "failed") == 0;
  if (!failed) {
    used = append_number(buffer, used, size, "pid", status->pid);
    used = append_number(buffer, used, size, "started_at", status->started_at);
  }
  if (strcmp(status->state, "running") != 0) {
    used = append_number(buffer, used, size, "exit_code", status->exit_code);
    if (!failed) {
      used = append_number(buffer, used, size, "signal", status->signal);
    }
    used = append_number(buffer, used, size, "finished_at", status->finished_at);
  }
  if (failed) {
    used = append_text(buffer, used, size, "error", status->error);
  }
  used = append_number(buffer, used, size, "reopened", (int64_t)status->reopened);
  used = append_number(buffer, used, size, "records", (int64_t)status->records);
  if (status->log_error[0] != '\0') {
    used = append_text(buffer, used, size, "log_error", status->log_error);
  }

  int fd = openat(dir_fd, "status.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return -1;
  }
  if (write_all(fd, buffer, used) != 0 || fsync(fd) != 0) {
    close(fd);
    return -1;
  }
  if (close(fd) != 0) {
    return -1;
  }
  return renameat(dir_fd, "status.tmp", dir_fd, "status");
}
