#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "log.h"
#include "util.h"

#define SPEC_MAX_SIZE (64 * 1024)
/* Above what execve accepts: a quarter of the stack limit, 2 MiB with the default 8 MiB. */
#define COMMAND_MAX_SIZE (8 * 1024 * 1024)
#define GROUPS_MAX 65536

static int parse_flag(const char *key, const char *value, bool *flag, char *error) {
  if (strcmp(value, "0") == 0) {
    *flag = false;
  } else if (strcmp(value, "1") == 0) {
    *flag = true;
  } else {
    return set_error(error, "invalid spec value %s=%s: expected 0 or 1", key, value);
  }
  return 0;
}

/* Accepts a single file name: not empty, not "." or "..", without '/', at most NAME_MAX bytes. */
static int parse_file_name(const char *key, char *value, char **name, char *error) {
  if (value[0] == '\0' || strchr(value, '/') != NULL || strcmp(value, ".") == 0
      || strcmp(value, "..") == 0 || strlen(value) > NAME_MAX) {
    return set_error(error, "invalid spec value %s=%s: expected a file name without \"/\", "
                            "other than \".\" and \"..\"", key, value);
  }
  *name = value;
  return 0;
}

static int parse_groups(char *value, struct spec *spec, char *error) {
  size_t capacity = 1;
  for (const char *p = value; *p != '\0'; p++) {
    capacity += *p == ',';
  }
  spec->groups = calloc(capacity, sizeof *spec->groups);
  if (spec->groups == NULL) {
    return set_error(error, "out of memory");
  }
  spec->group_count = 0;
  if (value[0] == '\0') {
    return 0;
  }
  for (char *item = strtok(value, ","); item != NULL; item = strtok(NULL, ",")) {
    unsigned long gid;
    if (parse_number(item, 0xfffffffeUL, &gid) != 0 || spec->group_count == GROUPS_MAX) {
      return set_error(error, "invalid spec value groups=: \"%s\" is not a numeric gid", item);
    }
    spec->groups[spec->group_count++] = (gid_t)gid;
  }
  return 0;
}

static int parse_line(char *key, char *value, struct spec *spec, char *error) {
  if (strcmp(key, "user") == 0) {
    spec->user = value;
  } else if (strcmp(key, "group") == 0) {
    spec->group = value;
  } else if (strcmp(key, "groups") == 0) {
    return parse_groups(value, spec, error);
  } else if (strcmp(key, "groups_policy") == 0) {
    if (strcmp(value, "merge") != 0 && strcmp(value, "strict") != 0) {
      return set_error(error, "invalid spec value groups_policy=%s: expected merge or strict", value);
    }
    spec->groups_merge = strcmp(value, "merge") == 0;
  } else if (strcmp(key, "caps") == 0) {
    spec->caps_given = true;
    return caps_parse(value, &spec->caps, error);
  } else if (strcmp(key, "ambient") == 0) {
    return caps_parse(value, &spec->ambient, error);
  } else if (strcmp(key, "no_new_privs") == 0) {
    return parse_flag(key, value, &spec->no_new_privs, error);
  } else if (strcmp(key, "readonly_rootfs") == 0) {
    return parse_flag(key, value, &spec->readonly_rootfs, error);
  } else if (strcmp(key, "cwd") == 0) {
    if (value[0] != '\0' && value[0] != '/') {
      return set_error(error, "invalid spec value cwd=%s: expected an absolute path", value);
    }
    spec->cwd = value[0] == '\0' ? "/" : value;
  } else if (strcmp(key, "tty") == 0) {
    return parse_flag(key, value, &spec->tty, error);
  } else if (strcmp(key, "stdin") == 0) {
    return parse_flag(key, value, &spec->stdin, error);
  } else if (strcmp(key, "stdin_once") == 0) {
    return parse_flag(key, value, &spec->stdin_once, error);
  } else if (strcmp(key, "log") == 0) {
    return parse_flag(key, value, &spec->log, error);
  } else if (strcmp(key, "log_file") == 0) {
    return parse_file_name(key, value, &spec->log_file, error);
  } else if (strcmp(key, "seccomp") == 0) {
    return seccomp_parse(value, &spec->seccomp, error);
  } else {
    return set_error(error, "unknown spec key \"%s\"", key);
  }
  return 0;
}

/* Parses spec text, which is modified in place and must outlive the spec. */
static int spec_parse(char *text, struct spec *spec, char *error) {
  memset(spec, 0, sizeof *spec);
  spec->user = "";
  spec->group = "";
  spec->groups_merge = true;
  spec->cwd = "/";
  spec->log = true;
  spec->log_file = LOG_DEFAULT_FILE;

  char *line = text;
  while (line != NULL && *line != '\0') {
    char *next = strchr(line, '\n');
    if (next != NULL) {
      *next++ = '\0';
    }
    if (line[0] != '\0') {
      char *equals = strchr(line, '=');
      if (equals == NULL) {
        return set_error(error, "invalid spec line \"%s\": expected key=value", line);
      }
      *equals = '\0';
      if (parse_line(line, equals + 1, spec, error) != 0) {
        return -1;
      }
    }
    line = next;
  }

  if (spec->groups == NULL && parse_groups((char[]){""}, spec, error) != 0) {
    return -1;
  }
  if ((spec->ambient & ~spec->caps) != 0 && spec->caps_given) {
    return set_error(error, "invalid spec: ambient capabilities must also be listed in caps=");
  }
  if (spec->stdin_once && !spec->stdin) {
    return set_error(error, "invalid spec: stdin_once=1 needs stdin=1");
  }
  return 0;
}

int spec_load(int dir_fd, struct spec *spec, char *error) {
  size_t length;
  char *text = read_file(dir_fd, "spec", SPEC_MAX_SIZE, &length);
  if (text == NULL) {
    return set_error(error, "cannot read spec: %s", strerror(errno));
  }
  if (memchr(text, '\0', length) != NULL) {
    return set_error(error, "invalid spec: it contains a NUL byte");
  }
  return spec_parse(text, spec, error);
}

static char **load_strings(int dir_fd, const char *name, size_t *count, char *error) {
  size_t length;
  char *data = read_file(dir_fd, name, COMMAND_MAX_SIZE, &length);
  if (data == NULL) {
    set_error(error, "cannot read %s: %s", name, strerror(errno));
    return NULL;
  }
  char **strings = split_nul_strings(data, length, count);
  if (strings == NULL) {
    set_error(error, "invalid %s: it must be NUL-terminated strings", name);
  }
  return strings;
}

int environment_load(int dir_fd, char ***environment, char *error) {
  size_t count;
  *environment = load_strings(dir_fd, "env", &count, error);
  if (*environment == NULL) {
    return -1;
  }
  for (size_t i = 0; i < count; i++) {
    if (strchr((*environment)[i], '=') == NULL) {
      return set_error(error, "invalid env entry \"%s\": expected KEY=VALUE", (*environment)[i]);
    }
  }
  return 0;
}

int command_load(int dir_fd, struct command *command, char *error) {
  command->argv = load_strings(dir_fd, "argv", &command->argc, error);
  if (command->argv == NULL) {
    return -1;
  }
  if (command->argc == 0 || command->argv[0][0] == '\0') {
    return set_error(error, "invalid argv: the program is missing");
  }
  return environment_load(dir_fd, &command->environment, error);
}
