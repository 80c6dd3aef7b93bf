#include "attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

#define ATTACH_SOCKET_TEMPORARY ATTACH_SOCKET ".tmp"

/* Reads per wake-up from one client, so one busy client cannot starve the others. */
#define READS_PER_POLL 64
/* Largest piece of stdin payload read at once. */
#define STDIN_CHUNK_SIZE 16384

int attach_listen(struct attach_server *server, const struct attach_events *events, char *error) {
  memset(server, 0, sizeof *server);
  server->events = *events;
  for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
    server->clients[i].fd = -1;
  }
  server->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (server->fd < 0) {
    return set_error(error, "cannot create the attach socket: %s", strerror(errno));
  }
  /* The socket is bound under a temporary name and renamed once it listens, because a
   * client that connects between bind and listen gets ECONNREFUSED. */
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strcpy(address.sun_path, ATTACH_SOCKET_TEMPORARY);
  unlink(ATTACH_SOCKET_TEMPORARY);
  if (bind(server->fd, (struct sockaddr *)&address, sizeof address) != 0
      || chmod(ATTACH_SOCKET_TEMPORARY, 0600) != 0
      || listen(server->fd, ATTACH_MAX_CLIENTS) != 0
      || rename(ATTACH_SOCKET_TEMPORARY, ATTACH_SOCKET) != 0) {
    return set_error(error, "cannot listen on %s: %s", ATTACH_SOCKET, strerror(errno));
  }
  return 0;
}

static void drop_client(struct attach_client *client) {
  close(client->fd);
  free(client->output);
  memset(client, 0, sizeof *client);
  client->fd = -1;
}

static bool reading_stdin(const struct attach_client *client) {
  return client->header_length == ATTACH_HEADER_SIZE && client->header[0] == ATTACH_STDIN;
}

/* A client is read only when its next bytes can be taken: stdin payload needs room. */
static bool can_read(const struct attach_server *server, const struct attach_client *client) {
  return !reading_stdin(client) || server->events.stdin_room(server->events.context) > 0;
}

void attach_fill_poll(const struct attach_server *server, struct pollfd *slots) {
  slots[0] = (struct pollfd){.fd = server->fd, .events = POLLIN};
  for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
    const struct attach_client *client = &server->clients[i];
    short events = 0;
    if (client->fd >= 0 && can_read(server, client)) {
      events |= POLLIN;
    }
    if (client->fd >= 0 && client->output_length > 0) {
      events |= POLLOUT;
    }
    /* A hung-up socket reports POLLHUP even when no events are requested. While such a
     * client waits for stdin room it is left out, or poll would return at once. */
    bool skip = client->fd < 0 || (client->hung_up && events == 0);
    slots[1 + i] = (struct pollfd){.fd = skip ? -1 : client->fd, .events = events};
  }
}

static void accept_client(struct attach_server *server) {
  int fd = accept4(server->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    return;
  }
  for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
    if (server->clients[i].fd < 0) {
      server->clients[i].fd = fd;
      return;
    }
  }
  warn_message("rejecting an attach client: %d clients are connected", ATTACH_MAX_CLIENTS);
  close(fd);
}

static void send_output(struct attach_client *client) {
  while (client->output_length > 0 && !client->output_failed) {
    ssize_t written = send(client->fd, client->output + client->output_start,
                           client->output_length, MSG_NOSIGNAL);
    if (written < 0 && (errno == EAGAIN || errno == EINTR)) {
      return;
    }
    if (written < 0) {
      /* Keep reading: stdin the client sent before it went away is still delivered. */
      client->output_failed = true;
      break;
    }
    client->output_start += (size_t)written;
    client->output_length -= (size_t)written;
  }
  if (client->output_length == 0 || client->output_failed) {
    client->output_start = 0;
    client->output_length = 0;
  }
}

/* Acts on a complete resize or close-stdin frame. */
static void finish_control_frame(struct attach_server *server, struct attach_client *client) {
  client->control[client->control_length] = '\0';
  if (client->header[0] == ATTACH_CLOSE_STDIN) {
    server->events.close_stdin(server->events.context);
    return;
  }
  char *rows_text = strchr(client->control, ' ');
  unsigned long columns;
  unsigned long rows;
  if (rows_text != NULL) {
    *rows_text++ = '\0';
  }
  if (rows_text == NULL || parse_number(client->control, 65535, &columns) != 0
      || parse_number(rows_text, 65535, &rows) != 0) {
    warn_message("ignoring an invalid resize frame from an attach client");
    return;
  }
  server->events.resize(server->events.context, (unsigned short)columns, (unsigned short)rows);
}

/* Starts the frame whose header is complete. Returns false when the client must be dropped. */
static bool start_frame(struct attach_client *client) {
  unsigned char *header = client->header;
  client->payload_left = (uint32_t)header[1] << 24 | (uint32_t)header[2] << 16
                         | (uint32_t)header[3] << 8 | header[4];
  client->control_length = 0;
  switch (header[0]) {
    case ATTACH_STDIN:
      return true;
    case ATTACH_RESIZE:
    case ATTACH_CLOSE_STDIN:
      return client->payload_left <= ATTACH_CONTROL_MAX;
    default:
      warn_message("dropping an attach client that sent a frame of stream %d", header[0]);
      return false;
  }
}

/* Ends the current frame, acting on it when it is a resize or close-stdin frame. */
static void end_frame(struct attach_server *server, struct attach_client *client) {
  if (!reading_stdin(client)) {
    finish_control_frame(server, client);
  }
  client->header_length = 0;
}

/*
 * Reads one piece of the current frame, from its header or its payload. Returns false when
 * the client must be dropped, and clears again when nothing more can be read now.
 */
static bool read_piece(struct attach_server *server, struct attach_client *client, bool *again) {
  char scratch[STDIN_CHUNK_SIZE];
  char *target;
  size_t wanted;
  if (client->header_length < ATTACH_HEADER_SIZE) {
    target = (char *)client->header + client->header_length;
    wanted = ATTACH_HEADER_SIZE - client->header_length;
  } else if (reading_stdin(client)) {
    size_t room = server->events.stdin_room(server->events.context);
    target = scratch;
    wanted = client->payload_left;
    wanted = wanted < room ? wanted : room;
    wanted = wanted < sizeof scratch ? wanted : sizeof scratch;
    if (wanted == 0) {
      *again = false;
      return true;
    }
  } else {
    target = client->control + client->control_length;
    wanted = client->payload_left;
  }
  ssize_t count = read(client->fd, target, wanted);
  if (count < 0 && (errno == EAGAIN || errno == EINTR)) {
    *again = false;
    return true;
  }
  if (count <= 0) {
    return false; /* end of file or an error: the client is gone */
  }
  if (client->header_length < ATTACH_HEADER_SIZE) {
    client->header_length += (size_t)count;
    if (client->header_length < ATTACH_HEADER_SIZE) {
      return true;
    }
    if (!start_frame(client)) {
      return false;
    }
  } else {
    if (reading_stdin(client)) {
      server->events.stdin_data(server->events.context, scratch, (size_t)count);
    } else {
      client->control_length += (size_t)count;
    }
    client->payload_left -= (uint32_t)count;
  }
  if (client->payload_left == 0) {
    end_frame(server, client);
  }
  return true;
}

static void receive_frames(struct attach_server *server, struct attach_client *client) {
  bool again = true;
  for (int round = 0; round < READS_PER_POLL && again; round++) {
    if (!read_piece(server, client, &again)) {
      drop_client(client);
      return;
    }
  }
}

void attach_handle_poll(struct attach_server *server, const struct pollfd *slots) {
  if ((slots[0].revents & POLLIN) != 0) {
    accept_client(server);
  }
  for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
    struct attach_client *client = &server->clients[i];
    short revents = slots[1 + i].revents;
    if (client->fd < 0 || slots[1 + i].fd != client->fd || revents == 0) {
      continue;
    }
    if ((revents & (POLLHUP | POLLERR)) != 0) {
      client->hung_up = true;
    }
    if ((revents & POLLOUT) != 0) {
      send_output(client);
    }
    if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0 && can_read(server, client)) {
      receive_frames(server, client);
    }
  }
}

/* Makes room for length more bytes of output. Returns false when that passes the limit. */
static bool reserve_output(struct attach_client *client, size_t length) {
  size_t needed = client->output_length + length;
  if (needed > ATTACH_MAX_BUFFERED) {
    return false;
  }
  if (client->output_start + needed <= client->output_capacity) {
    return true;
  }
  memmove(client->output, client->output + client->output_start, client->output_length);
  client->output_start = 0;
  if (needed <= client->output_capacity) {
    return true;
  }
  size_t capacity = client->output_capacity == 0 ? 65536 : client->output_capacity;
  while (capacity < needed) {
    capacity *= 2;
  }
  char *larger = realloc(client->output, capacity);
  if (larger == NULL) {
    return false;
  }
  client->output = larger;
  client->output_capacity = capacity;
  return true;
}

void attach_broadcast(struct attach_server *server, enum attach_stream stream, const char *data,
                      size_t length) {
  unsigned char header[ATTACH_HEADER_SIZE] = {
      (unsigned char)stream, (unsigned char)(length >> 24), (unsigned char)(length >> 16),
      (unsigned char)(length >> 8), (unsigned char)length};
  for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
    struct attach_client *client = &server->clients[i];
    if (client->fd < 0 || client->output_failed) {
      continue;
    }
    if (!reserve_output(client, sizeof header + length)) {
      warn_message("dropping an attach client that did not read %d bytes of output",
                   ATTACH_MAX_BUFFERED);
      drop_client(client);
      continue;
    }
    char *end = client->output + client->output_start + client->output_length;
    memcpy(end, header, sizeof header);
    memcpy(end + sizeof header, data, length);
    client->output_length += sizeof header + length;
    send_output(client);
  }
}

void attach_close(struct attach_server *server) {
  /* The file goes first, so a client that sees end of file finds no socket to reconnect to. */
  if (server->fd >= 0) {
    unlink(ATTACH_SOCKET);
    close(server->fd);
    server->fd = -1;
  }
  for (int i = 0; i < ATTACH_MAX_CLIENTS; i++) {
    if (server->clients[i].fd >= 0) {
      send_output(&server->clients[i]);
      drop_client(&server->clients[i]);
    }
  }
}
