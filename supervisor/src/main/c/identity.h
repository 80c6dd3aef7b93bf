/* The user, groups and capabilities a container process runs with, from the spec. */
#ifndef SUPERVISOR_IDENTITY_H
#define SUPERVISOR_IDENTITY_H

#include <stddef.h>
#include <sys/types.h>

#include "spec.h"

struct identity {
  uid_t uid;
  gid_t gid;
  gid_t *groups;        /* supplementary groups, the primary gid first */
  size_t group_count;
};

/*
 * Resolves user=, group=, groups= and groups_policy= against the container's /etc/passwd
 * and /etc/group. Returns 0, or -1 with a one-line reason in error.
 */
int identity_resolve(const struct spec *spec, struct identity *identity, char *error);

/*
 * Switches this process to the identity: limits the bounding set to caps=, sets the
 * supplementary groups, gid and uid, then the permitted, effective and inheritable sets
 * (caps= for uid 0, ambient= for other users) and the ambient set. Needs CAP_SETPCAP,
 * CAP_SETGID and CAP_SETUID. Returns 0, or -1 with a one-line reason in error.
 */
int identity_apply(const struct spec *spec, const struct identity *identity, char *error);

#endif
