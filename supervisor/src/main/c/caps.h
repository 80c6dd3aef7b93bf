/* Linux capabilities by name, and the calls that set the bounding, permitted, effective,
 * inheritable and ambient sets. Sets are 64-bit masks: bit N is capability N. */
#ifndef SUPERVISOR_CAPS_H
#define SUPERVISOR_CAPS_H

#include <stdint.h>

/* Parses a comma-separated list such as "CAP_CHOWN,CAP_KILL"; empty means no capability. */
int caps_parse(const char *list, uint64_t *mask, char *error);

/* Returns the name of capability number, or NULL when unknown. */
const char *caps_name(int number);

/* Returns the highest capability number that the running kernel supports. */
int caps_last(void);

/* Reads this process's permitted set. Returns 0 or -1 with errno. */
int caps_read_permitted(uint64_t *permitted);

/* Removes every capability outside keep from the bounding set (needs CAP_SETPCAP). */
int caps_limit_bounding(uint64_t keep, char *error);

/* Sets the permitted, effective and inheritable sets to one mask with capset(2). */
int caps_set(uint64_t mask, char *error);

/* Clears the ambient set, then raises each capability of mask in it. */
int caps_set_ambient(uint64_t mask, char *error);

#endif
