#include "identity.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "caps.h"
#include "passwd.h"
#include "util.h"

static int resolve_user(const char *user, uid_t *uid, struct user_entry *entry, char *error) {
  unsigned long number;
  int found;
  if (user[0] == '\0' || parse_number(user, 0xfffffffeUL, &number) == 0) {
    *uid = user[0] == '\0' ? 0 : (uid_t)number;
    found = passwd_find_uid(*uid, entry);
  } else {
    found = passwd_find_name(user, entry);
    if (found == 0) {
      return set_error(error, "user \"%s\" not found in the container's /etc/passwd", user);
    }
    *uid = entry->uid;
  }
  if (found < 0) {
    return set_error(error, "cannot read the container's /etc/passwd: %s", strerror(errno));
  }
  if (found == 0) {
    entry->name[0] = '\0';
  }
  return 0;
}

static int resolve_group(const char *group, const struct user_entry *entry, gid_t *gid,
                         char *error) {
  unsigned long number;
  if (group[0] == '\0') {
    *gid = entry->name[0] != '\0' ? entry->gid : 0;
    return 0;
  }
  if (parse_number(group, 0xfffffffeUL, &number) == 0) {
    *gid = (gid_t)number;
    return 0;
  }
  int found = group_find_name(group, gid);
  if (found < 0) {
    return set_error(error, "cannot read the container's /etc/group: %s", strerror(errno));
  }
  if (found == 0) {
    return set_error(error, "group \"%s\" not found in the container's /etc/group", group);
  }
  return 0;
}

/* Appends gid unless the list already has it. */
static int add_group(struct identity *identity, gid_t gid) {
  for (size_t i = 0; i < identity->group_count; i++) {
    if (identity->groups[i] == gid) {
      return 0;
    }
  }
  gid_t *larger = realloc(identity->groups, (identity->group_count + 1) * sizeof *larger);
  if (larger == NULL) {
    return -1;
  }
  identity->groups = larger;
  identity->groups[identity->group_count++] = gid;
  return 0;
}

int identity_resolve(const struct spec *spec, struct identity *identity, char *error) {
  memset(identity, 0, sizeof *identity);
  struct user_entry entry;
  if (resolve_user(spec->user, &identity->uid, &entry, error) != 0
      || resolve_group(spec->group, &entry, &identity->gid, error) != 0) {
    return -1;
  }
  gid_t *merged = NULL;
  size_t merged_count = 0;
  if (spec->groups_merge && entry.name[0] != '\0'
      && group_find_member(entry.name, &merged, &merged_count) != 0) {
    return set_error(error, "cannot read the container's /etc/group: %s", strerror(errno));
  }
  int failed = add_group(identity, identity->gid);
  for (size_t i = 0; i < merged_count; i++) {
    failed |= add_group(identity, merged[i]);
  }
  for (size_t i = 0; i < spec->group_count; i++) {
    failed |= add_group(identity, spec->groups[i]);
  }
  free(merged);
  return failed ? set_error(error, "out of memory") : 0;
}

/* Fails unless every capability in wanted is in this process's permitted and bounding sets. */
static int check_available(uint64_t wanted, char *error) {
  uint64_t permitted;
  if (caps_read_permitted(&permitted) != 0) {
    return set_error(error, "cannot read the supervisor's capabilities: %s", strerror(errno));
  }
  for (int number = 0; number < 64; number++) {
    uint64_t bit = UINT64_C(1) << number;
    if ((wanted & bit) != 0
        && ((permitted & bit) == 0 || prctl(PR_CAPBSET_READ, number, 0, 0, 0) != 1)) {
      const char *name = caps_name(number);
      return set_error(error, "capability %s is requested but the supervisor does not have it",
                       name != NULL ? name : "?");
    }
  }
  return 0;
}

int identity_apply(const struct spec *spec, const struct identity *identity, char *error) {
  uint64_t keep;
  if (spec->caps_given) {
    keep = spec->caps;
  } else if (caps_read_permitted(&keep) != 0) {
    return set_error(error, "cannot read the supervisor's capabilities: %s", strerror(errno));
  }
  if (check_available(keep, error) != 0) {
    return -1;
  }

  /* A non-root user keeps its permitted set across setresuid only with KEEPCAPS, and the
   * ambient set can only hold capabilities that are permitted and inheritable. */
  bool keep_permitted = identity->uid != 0 && spec->ambient != 0;
  if (keep_permitted && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
    return set_error(error, "cannot set PR_SET_KEEPCAPS: %s", strerror(errno));
  }
  if (caps_limit_bounding(keep, error) != 0) {
    return -1;
  }

  if (setgroups(identity->group_count, identity->groups) != 0) {
    return set_error(error, "cannot set supplementary groups: %s", strerror(errno));
  }
  if (setresgid(identity->gid, identity->gid, identity->gid) != 0) {
    return set_error(error, "cannot set gid %u: %s", (unsigned)identity->gid, strerror(errno));
  }
  if (setresuid(identity->uid, identity->uid, identity->uid) != 0) {
    return set_error(error, "cannot set uid %u: %s", (unsigned)identity->uid, strerror(errno));
  }

  if (caps_set(identity->uid == 0 ? keep : spec->ambient, error) != 0
      || caps_set_ambient(spec->ambient, error) != 0) {
    return -1;
  }
  if (keep_permitted && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
    return set_error(error, "cannot clear PR_SET_KEEPCAPS: %s", strerror(errno));
  }
  return 0;
}
