/*
 * The attach socket: a UNIX stream socket where clients receive the child's output and
 * send stdin, resize and close-stdin, all as frames of 1 byte stream number, 4 bytes
 * big-endian payload length, then the payload.
 */
#ifndef SUPERVISOR_ATTACH_H
#define SUPERVISOR_ATTACH_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTACH_SOCKET "attach.sock"
#define ATTACH_MAX_CLIENTS 16
/* A client whose unsent output would pass this many bytes is disconnected. */
#define ATTACH_MAX_BUFFERED (1024 * 1024)
/* Maximum payload of a resize or close-stdin frame. */
#define ATTACH_CONTROL_MAX 64
#define ATTACH_HEADER_SIZE 5
/* Poll slots that attach_fill_poll fills: the listening socket, then one per client. */
#define ATTACH_POLL_SLOTS (1 + ATTACH_MAX_CLIENTS)

enum attach_stream {
  ATTACH_STDIN = 0,     /* client to supervisor: bytes for the child's stdin */
  ATTACH_STDOUT = 1,    /* supervisor to client: the child's stdout (or terminal output) */
  ATTACH_STDERR = 2,    /* supervisor to client: the child's stderr */
  ATTACH_RESIZE = 3,    /* client to supervisor: "<columns> <rows>" in ASCII */
  ATTACH_CLOSE_STDIN = 4, /* client to supervisor: close the child's stdin; empty payload */
};

/* Callbacks for the frames clients send, implemented by the run loop. */
struct attach_events {
  void *context;
  size_t (*stdin_room)(void *context);
  void (*stdin_data)(void *context, const char *data, size_t length);
  void (*resize)(void *context, unsigned short columns, unsigned short rows);
  void (*close_stdin)(void *context);
};

struct attach_client {
  int fd;                       /* -1 for a free slot */
  bool hung_up;                 /* the peer closed both directions */
  bool output_failed;           /* sending failed; output is dropped until the client goes */
  char *output;                 /* frames not yet sent */
  size_t output_start;
  size_t output_length;
  size_t output_capacity;
  unsigned char header[ATTACH_HEADER_SIZE];
  size_t header_length;
  uint32_t payload_left;
  char control[ATTACH_CONTROL_MAX + 1];
  size_t control_length;
};

struct attach_server {
  int fd;
  struct attach_events events;
  struct attach_client clients[ATTACH_MAX_CLIENTS];
};

/*
 * Listens on ATTACH_SOCKET in the working directory (the container directory), replacing
 * a stale socket file. The file appears only once it accepts connections. Returns 0, or -1
 * with the reason in error.
 */
int attach_listen(struct attach_server *server, const struct attach_events *events, char *error);

/* Fills ATTACH_POLL_SLOTS entries; unused ones get fd -1, which poll skips. */
void attach_fill_poll(const struct attach_server *server, struct pollfd *slots);

/* Accepts, reads and writes as the poll results of attach_fill_poll's slots allow. */
void attach_handle_poll(struct attach_server *server, const struct pollfd *slots);

/* Queues one frame of output for every client. */
void attach_broadcast(struct attach_server *server, enum attach_stream stream, const char *data,
                      size_t length);

/* Disconnects every client, stops listening and removes the socket file. */
void attach_close(struct attach_server *server);

#endif
