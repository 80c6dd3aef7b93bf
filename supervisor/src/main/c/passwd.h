/*
 * Looks users and groups up in /etc/passwd and /etc/group of the current root (the
 * container's). The supervisor is static, so glibc's NSS functions are not used.
 */
#ifndef SUPERVISOR_PASSWD_H
#define SUPERVISOR_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

#define ACCOUNT_NAME_SIZE 256

/* A user entry; name is empty when the lookup found nothing. */
struct user_entry {
  char name[ACCOUNT_NAME_SIZE];
  uid_t uid;
  gid_t gid;
};

/*
 * Each lookup returns 1 when found, 0 when not found (also when the file is missing),
 * and -1 with errno when the file cannot be read.
 */
int passwd_find_name(const char *name, struct user_entry *entry);
int passwd_find_uid(uid_t uid, struct user_entry *entry);
int group_find_name(const char *name, gid_t *gid);

/*
 * Appends to gids (growing it with realloc) the gid of every group in /etc/group that
 * lists user as a member. Returns 0, or -1 with errno.
 */
int group_find_member(const char *user, gid_t **gids, size_t *count);

#endif
