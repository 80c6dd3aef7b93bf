#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* "2026-12-04T15:30:56.196000000Z" is 30 characters; the rest is " stderr F " and "\n". */
#define RECORD_OVERHEAD 64

static void record_failure(struct log_file *log, const char *action, int error_number) {
  char message[ERROR_SIZE];
  snprintf(message, sizeof message, "cannot %s %s: %s", action, log->path, strerror(error_number));
  if (strcmp(message, log->error) != 0) {
    memcpy(log->error, message, sizeof message);
    log->error_changed = true;
  }
}

static void clear_failure(struct log_file *log) {
  log->write_failed = false;
  if (log->error[0] != '\0') {
    log->error[0] = '\0';
    log->error_changed = true;
  }
}

static int open_log(struct log_file *log) {
  return openat(log->dir_fd, log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int log_open(struct log_file *log, int dir_fd, const char *file_name) {
  memset(log, 0, sizeof *log);
  log->enabled = true;
  log->dir_fd = dir_fd;
  snprintf(log->path, sizeof log->path, "%s%s", LOG_DIR, file_name);
  log->fd = open_log(log);
  if (log->fd < 0) {
    record_failure(log, "open", errno);
    return -1;
  }
  return 0;
}

void log_disable(struct log_file *log) {
  memset(log, 0, sizeof *log);
  log->enabled = false;
  log->fd = -1;
}

int log_reopen(struct log_file *log) {
  if (!log->enabled) {
    return 0;
  }
  int fd = open_log(log);
  if (fd < 0) {
    record_failure(log, "reopen", errno);
    log->write_failed = false;
    return -1;
  }
  if (log->fd >= 0) {
    close(log->fd);
  }
  log->fd = fd;
  clear_failure(log);
  return 0;
}

void log_stream_init(struct log_stream *stream, const char *name) {
  stream->name = name;
  stream->length = 0;
}

static void write_record(struct log_file *log, const char *stream, char tag, const char *text,
                         size_t length) {
  if (log->fd < 0) {
    return;
  }
  static char record[LOG_MAX_LINE + RECORD_OVERHEAD];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct tm utc;
  gmtime_r(&now.tv_sec, &utc);
  int header = snprintf(record, RECORD_OVERHEAD, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ %s %c ",
                        utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                        utc.tm_sec, now.tv_nsec, stream, tag);
  memcpy(record + header, text, length);
  record[(size_t)header + length] = '\n';
  size_t total = (size_t)header + length + 1;
  /* A regular file takes the whole record in one write unless the disk is full, so the
   * loop only finishes such a short write. */
  if (write_all(log->fd, record, total) != 0) {
    record_failure(log, "write", errno);
    log->write_failed = true;
    return;
  }
  log->records++;
  if (log->write_failed) {
    clear_failure(log);
  }
}

/* Writes the text of a finished line, splitting it into P records when it is too long. */
static void write_line(struct log_file *log, struct log_stream *stream, const char *text,
                       size_t length) {
  while (length > LOG_MAX_LINE) {
    write_record(log, stream->name, 'P', text, LOG_MAX_LINE);
    text += LOG_MAX_LINE;
    length -= LOG_MAX_LINE;
  }
  write_record(log, stream->name, 'F', text, length);
}

/* Adds text without a newline to the pending line, writing P records as it fills up. */
static void append_pending(struct log_file *log, struct log_stream *stream, const char *text,
                           size_t length) {
  while (length > 0) {
    if (stream->length == sizeof stream->pending) {
      /* More text follows the full buffer, so the line is longer than LOG_MAX_LINE (even a
       * last '\r' is text, because no '\n' comes right after it). */
      write_record(log, stream->name, 'P', stream->pending, LOG_MAX_LINE);
      stream->pending[0] = stream->pending[LOG_MAX_LINE];
      stream->length = 1;
    }
    size_t room = sizeof stream->pending - stream->length;
    size_t take = length < room ? length : room;
    memcpy(stream->pending + stream->length, text, take);
    stream->length += take;
    text += take;
    length -= take;
  }
}

void log_write(struct log_file *log, struct log_stream *stream, const char *data, size_t length) {
  while (length > 0) {
    const char *newline = memchr(data, '\n', length);
    size_t text_length = newline != NULL ? (size_t)(newline - data) : length;
    append_pending(log, stream, data, text_length);
    if (newline == NULL) {
      return;
    }
    size_t line_length = stream->length;
    /* containerd's CRI log writer drops the '\r' of a "\r\n" line end too, and a terminal
     * (with the default ONLCR setting) ends every line that way. */
    if (line_length > 0 && stream->pending[line_length - 1] == '\r') {
      line_length--;
    }
    write_line(log, stream, stream->pending, line_length);
    stream->length = 0;
    data += text_length + 1;
    length -= text_length + 1;
  }
}

void log_flush(struct log_file *log, struct log_stream *stream) {
  if (stream->length > 0) {
    write_line(log, stream, stream->pending, stream->length);
    stream->length = 0;
  }
}
