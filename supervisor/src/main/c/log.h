/*
 * The CRI log file: one record per line, "<RFC 3339 UTC time with 9 fraction digits>
 * <stdout|stderr> <F|P> <text>". Each stream keeps its own partial line, and every record
 * is written with one write(2).
 */
#ifndef SUPERVISOR_LOG_H
#define SUPERVISOR_LOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Maximum text length of one record. Longer lines become P records and then an F record. */
#define LOG_MAX_LINE 16384

/* Directory of the log file relative to the container directory. */
#define LOG_DIR "log/"

/* Name of the log file in LOG_DIR when the spec has no log_file line. */
#define LOG_DEFAULT_FILE "current"

struct log_file {
  bool enabled;                 /* false for log=0 */
  int dir_fd;
  char path[sizeof LOG_DIR + NAME_MAX];   /* LOG_DIR and the file name, such as "log/0.log" */
  int fd;                       /* -1 when logging is off or the first open failed */
  bool write_failed;            /* error is about a write, which the next good write clears */
  char error[ERROR_SIZE];       /* the last open or write failure, else empty */
  bool error_changed;           /* set when error changes; the caller clears it */
  unsigned long records;        /* records written since the supervisor started */
};

struct log_stream {
  const char *name;             /* "stdout" or "stderr" */
  /* One byte more than LOG_MAX_LINE, so a '\r' that may start a "\r\n" can wait there. */
  char pending[LOG_MAX_LINE + 1];
  size_t length;
};

/*
 * Opens DIR/log/FILE_NAME for appending, creating it with mode 0640. file_name must be one
 * path component of at most NAME_MAX bytes. Returns 0, or -1 with the reason in log->error.
 */
int log_open(struct log_file *log, int dir_fd, const char *file_name);

/* Makes a log that writes nothing (log=0 in the spec). */
void log_disable(struct log_file *log);

/*
 * Opens the same path again (creating the file when it was renamed away) and then closes the old descriptor. On failure the old
 * descriptor stays in use and the reason is in log->error. Returns 0 or -1.
 */
int log_reopen(struct log_file *log);

void log_stream_init(struct log_stream *stream, const char *name);

/* Writes a record for every line completed by data; the rest stays pending. */
void log_write(struct log_file *log, struct log_stream *stream, const char *data, size_t length);

/* Writes the pending partial line, if any, as an F record (at end of stream). */
void log_flush(struct log_file *log, struct log_stream *stream);

#endif
