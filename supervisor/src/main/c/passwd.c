#include "passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ACCOUNT_FILE_MAX_SIZE (16 * 1024 * 1024)
#define FIELDS_MAX 8

/* Called for each line split into fields; returns true to stop the scan. */
typedef bool (*line_visitor)(char **fields, size_t count, void *context);

/* Splits line at ':' into at most FIELDS_MAX fields; returns the number of fields. */
static size_t split_fields(char *line, char **fields) {
  size_t count = 0;
  fields[count++] = line;
  for (char *p = line; *p != '\0' && count < FIELDS_MAX; p++) {
    if (*p == ':') {
      *p = '\0';
      fields[count++] = p + 1;
    }
  }
  return count;
}

/* Runs visitor over every line of path; returns 1 when it stopped the scan, else 0 or -1. */
static int scan_file(const char *path, line_visitor visitor, void *context) {
  size_t length;
  char *data = read_file(AT_FDCWD, path, ACCOUNT_FILE_MAX_SIZE, &length);
  if (data == NULL) {
    return errno == ENOENT ? 0 : -1;
  }
  int result = 0;
  char *line = data;
  while (line != NULL && result == 0) {
    char *next = strchr(line, '\n');
    if (next != NULL) {
      *next++ = '\0';
    }
    char *fields[FIELDS_MAX];
    if (line[0] != '\0' && line[0] != '#') {
      size_t count = split_fields(line, fields);
      if (visitor(fields, count, context)) {
        result = 1;
      }
    }
    line = next;
  }
  free(data);
  return result;
}

struct user_query {
  const char *name;       /* match by name when not NULL */
  uid_t uid;              /* else match by uid */
  struct user_entry *entry;
};

static bool visit_user(char **fields, size_t count, void *context) {
  struct user_query *query = context;
  unsigned long uid;
  unsigned long gid;
  if (count < 4 || parse_number(fields[2], 0xfffffffeUL, &uid) != 0
      || parse_number(fields[3], 0xfffffffeUL, &gid) != 0
      || strlen(fields[0]) >= ACCOUNT_NAME_SIZE) {
    return false;
  }
  if (query->name != NULL ? strcmp(fields[0], query->name) != 0 : uid != query->uid) {
    return false;
  }
  strcpy(query->entry->name, fields[0]);
  query->entry->uid = (uid_t)uid;
  query->entry->gid = (gid_t)gid;
  return true;
}

int passwd_find_name(const char *name, struct user_entry *entry) {
  struct user_query query = {.name = name, .entry = entry};
  return scan_file("/etc/passwd", visit_user, &query);
}

int passwd_find_uid(uid_t uid, struct user_entry *entry) {
  struct user_query query = {.name = NULL, .uid = uid, .entry = entry};
  return scan_file("/etc/passwd", visit_user, &query);
}

struct group_query {
  const char *name;
  gid_t gid;
};

static bool visit_group_name(char **fields, size_t count, void *context) {
  struct group_query *query = context;
  unsigned long gid;
  if (count < 3 || strcmp(fields[0], query->name) != 0
      || parse_number(fields[2], 0xfffffffeUL, &gid) != 0) {
    return false;
  }
  query->gid = (gid_t)gid;
  return true;
}

int group_find_name(const char *name, gid_t *gid) {
  struct group_query query = {.name = name};
  int found = scan_file("/etc/group", visit_group_name, &query);
  if (found == 1) {
    *gid = query.gid;
  }
  return found;
}

struct member_query {
  const char *user;
  gid_t **gids;
  size_t *count;
  bool failed;
};

static bool visit_group_member(char **fields, size_t count, void *context) {
  struct member_query *query = context;
  unsigned long gid;
  if (count < 4 || parse_number(fields[2], 0xfffffffeUL, &gid) != 0) {
    return false;
  }
  for (char *member = strtok(fields[3], ","); member != NULL; member = strtok(NULL, ",")) {
    if (strcmp(member, query->user) != 0) {
      continue;
    }
    gid_t *larger = realloc(*query->gids, (*query->count + 1) * sizeof **query->gids);
    if (larger == NULL) {
      query->failed = true;
      return true;
    }
    *query->gids = larger;
    larger[(*query->count)++] = (gid_t)gid;
    break;
  }
  return false;
}

int group_find_member(const char *user, gid_t **gids, size_t *count) {
  struct member_query query = {.user = user, .gids = gids, .count = count};
  int result = scan_file("/etc/group", visit_group_member, &query);
  if (query.failed) {
    errno = ENOMEM;
    return -1;
  }
  return result < 0 ? -1 : 0;
}
