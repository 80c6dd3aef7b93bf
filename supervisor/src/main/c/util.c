#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void warn_message(const char *format, ...) {
  char message[ERROR_SIZE + 32];
  va_list args;
  va_start(args, format);
  int length = snprintf(message, sizeof message, "supervisor: ");
  vsnprintf(message + length, sizeof message - (size_t)length - 1, format, args);
  va_end(args);
  size_t total = strlen(message);
  message[total] = '\n';
  /* stderr may be /dev/null or closed; nothing more can be done about a failed write. */
  (void)write_all(STDERR_FILENO, message, total + 1);
}

int set_error(char *error, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(error, ERROR_SIZE, format, args);
  va_end(args);
  return -1;
}

int write_all(int fd, const void *data, size_t length) {
  const char *cursor = data;
  while (length > 0) {
    ssize_t written = write(fd, cursor, length);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return -1;
    }
    cursor += written;
    length -= (size_t)written;
  }
  return 0;
}

char *read_file(int dir_fd, const char *name, size_t max_size, size_t *length) {
  int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return NULL;
  }
  size_t capacity = 4096;
  size_t used = 0;
  char *data = malloc(capacity + 1);
  if (data == NULL) {
    goto fail;
  }

  for (;;) {
    if (used == capacity) {
      if (capacity > max_size) {
        errno = EFBIG;
        goto fail;
      }
      char *larger = realloc(data, capacity * 2 + 1);
      if (larger == NULL) {
        goto fail;
      }
      data = larger;
      capacity *= 2;
    }
    ssize_t count = read(fd, data + used, capacity - used);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      goto fail;
    }
    if (count == 0) {
      break;
    }
    used += (size_t)count;
  }

  close(fd);
  if (used > max_size) {
    free(data);
    errno = EFBIG;
    return NULL;
  }
  data[used] = '\0';
  *length = used;
  return data;

fail:;
  int saved = errno;
  free(data);
  close(fd);
  errno = saved;
  return NULL;
}

char **split_nul_strings(char *data, size_t length, size_t *count) {
  if (length > 0 && data[length - 1] != '\0') {
    errno = EINVAL;
    return NULL;
  }
  size_t strings = 0;
  for (size_t i = 0; i < length; i++) {
    if (data[i] == '\0') {
      strings++;
    }
  }
  char **array = calloc(strings + 1, sizeof *array);
  if (array == NULL) {
    return NULL;
  }
  size_t index = 0;
  for (size_t start = 0; start < length; start += strlen(data + start) + 1) {
    array[index++] = data + start;
  }
  *count = strings;
  return array;
}

int parse_number(const char *text, unsigned long max, unsigned long *value) {
  if (text[0] < '0' || text[0] > '9') {
    return -1;
  }
  unsigned long result = 0;
  for (const char *p = text; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') {
      return -1;
    }
    unsigned long digit = (unsigned long)(*p - '0');
    if (result > (max - digit) / 10) {
      return -1;
    }
    result = result * 10 + digit;
  }
  *value = result;
  return 0;
}

static int64_t clock_ns(clockid_t clock) {
  struct timespec now;
  clock_gettime(clock, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t realtime_ns(void) {
  return clock_ns(CLOCK_REALTIME);
}

int64_t monotonic_ns(void) {
  return clock_ns(CLOCK_MONOTONIC);
}

int set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) {
    return -1;
  }
  return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

const char *find_variable(char *const *environment, const char *name) {
  size_t name_length = strlen(name);
  for (char *const *entry = environment; *entry != NULL; entry++) {
    if (strncmp(*entry, name, name_length) == 0 && (*entry)[name_length] == '=') {
      return *entry + name_length + 1;
    }
  }
  return NULL;
}

void reset_signals(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  for (int number = 1; number < NSIG; number++) {
    /* SIGKILL, SIGSTOP and the numbers glibc reserves fail with EINVAL, which is fine. */
    sigaction(number, &action, NULL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * Cuts the last component off an absolute path in place and returns it. Returns NULL when
 * the parent would be "/" or there is no slash.
 */
static const char *strip_last_component(char *path) {
  char *slash = strrchr(path, '/');
  if (slash == NULL || slash == path) {
    return NULL;
  }
  *slash = '\0';
  return slash + 1;
}

int find_container_dir(char *path, size_t size, char *error) {
  char exe[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (length < 0) {
    return set_error(error, "cannot read /proc/self/exe: %s", strerror(errno));
  }
  exe[length] = '\0';
  char copy[PATH_MAX];
  memcpy(copy, exe, (size_t)length + 1);
  const char *program = strip_last_component(copy);
  const char *bin = program == NULL ? NULL : strip_last_component(copy);
  if (bin == NULL || strcmp(bin, "bin") != 0) {
    return set_error(error, "the supervisor must run as DIR/bin/supervisor inside its container "
                            "directory, but /proc/self/exe is %s", exe);
  }
  if (strlen(copy) + 1 > size) {
    return set_error(error, "container directory path is too long: %s", copy);
  }
  memcpy(path, copy, strlen(copy) + 1);
  return 0;
}

int open_fifo(int dir_fd, const char *name, int flags, char *error) {
  if (mkfifoat(dir_fd, name, 0600) != 0 && errno != EEXIST) {
    return set_error(error, "cannot create FIFO %s: %s", name, strerror(errno));
  }
  int fd = openat(dir_fd, name, flags | O_CLOEXEC);
  if (fd < 0) {
    return set_error(error, "cannot open FIFO %s: %s", name, strerror(errno));
  }
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISFIFO(info.st_mode)) {
    close(fd);
    return set_error(error, "%s exists but is not a FIFO", name);
  }
  return fd;
}

void ensure_standard_fds(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      /* open returns the lowest free number, which is this one. */
      open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    }
  }
}
