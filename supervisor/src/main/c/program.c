#include "program.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* errno values of execve that mean "nothing to run here", so the search goes on. */
static bool is_missing(int error_number) {
  return error_number == ENOENT || error_number == ENOTDIR || error_number == ESTALE
         || error_number == ENODEV || error_number == ETIMEDOUT;
}

static int failure(const char *program, int error_number, char *error) {
  set_error(error, "cannot run \"%s\": %s", program, strerror(error_number));
  return is_missing(error_number) ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
}

int program_exec(char *const argv[], char *const environment[], char *error) {
  const char *program = argv[0];
  if (strchr(program, '/') != NULL) {
    execve(program, argv, environment);
    return failure(program, errno, error);
  }
  const char *path = find_variable(environment, "PATH");
  if (path == NULL) {
    path = DEFAULT_PATH;
  }
  int denied = 0;
  const char *start = path;
  for (;;) {
    size_t length = strcspn(start, ":");
    char candidate[PATH_MAX];
    /* An empty PATH entry means the working directory, as in POSIX shells. */
    int written = length == 0 ? snprintf(candidate, sizeof candidate, "%s", program)
                              : snprintf(candidate, sizeof candidate, "%.*s/%s", (int)length,
                                         start, program);
    if (written > 0 && (size_t)written < sizeof candidate) {
      execve(candidate, argv, environment);
      if (errno == EACCES) {
        denied = EACCES;
      } else if (!is_missing(errno)) {
        return failure(candidate, errno, error);
      }
    }
    if (start[length] == '\0') {
      break;
    }
    start += length + 1;
  }
  if (denied != 0) {
    return failure(program, denied, error);
  }
  set_error(error, "cannot run \"%s\": executable file not found in PATH %s", program, path);
  return EXIT_NOT_FOUND;
}
