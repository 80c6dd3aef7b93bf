#include "connect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

#define RELAY_BUFFER_SIZE 65536
/* "[", an IPv6 address, "]:", a port and the NUL, with room to spare. */
#define ADDRESS_TEXT_SIZE (INET6_ADDRSTRLEN + 32)

enum poll_slot { SLOT_STDIN, SLOT_SOCKET, SLOT_STDOUT, SLOT_COUNT };

/* One direction of the relay: bytes read from source and not yet written to destination. */
struct flow {
  const char *source_name;      /* for messages */
  const char *destination_name;
  int source;                   /* -1 after end of file, or once the destination has no reader */
  int destination;              /* -1 once the flow has ended */
  bool to_socket;               /* the flow ends with shutdown(SHUT_WR), not with close */
  int destination_flags;        /* file status flags to restore before close */
  char buffer[RELAY_BUFFER_SIZE];
  size_t start;
  size_t length;
};

struct connection {
  int socket_fd;
  struct flow upstream;         /* stdin to the socket */
  struct flow downstream;       /* the socket to stdout */
};

static int usage(void) {
  warn_message("usage: supervisor connect [--announce] HOST PORT (HOST: an IPv4 or IPv6 "
               "address, or localhost; PORT: 1 to 65535)");
  return EXIT_SUPERVISOR_FAILED;
}

/*
 * Parses HOST and PORT into address and stores "HOST:PORT" (IPv6 as "[HOST]:PORT") in text.
 * No name is looked up in DNS; "localhost" means 127.0.0.1. Returns 0, or -1 after a message.
 */
static int parse_address(const char *host, const char *port_text,
                         struct sockaddr_storage *address, socklen_t *length, char *text) {
  unsigned long port;
  if (parse_number(port_text, 65535, &port) != 0 || port == 0) {
    warn_message("invalid port \"%s\": expected a number from 1 to 65535", port_text);
    return -1;
  }
  memset(address, 0, sizeof *address);
  const char *literal = strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
  char canonical[INET6_ADDRSTRLEN];
  struct sockaddr_in *ipv4 = (struct sockaddr_in *)address;
  struct sockaddr_in6 *ipv6 = (struct sockaddr_in6 *)address;
  if (inet_pton(AF_INET, literal, &ipv4->sin_addr) == 1) {
    ipv4->sin_family = AF_INET;
    ipv4->sin_port = htons((uint16_t)port);
    *length = sizeof *ipv4;
    inet_ntop(AF_INET, &ipv4->sin_addr, canonical, sizeof canonical);
    snprintf(text, ADDRESS_TEXT_SIZE, "%s:%lu", canonical, port);
    return 0;
  }
  if (inet_pton(AF_INET6, literal, &ipv6->sin6_addr) == 1) {
    ipv6->sin6_family = AF_INET6;
    ipv6->sin6_port = htons((uint16_t)port);
    *length = sizeof *ipv6;
    inet_ntop(AF_INET6, &ipv6->sin6_addr, canonical, sizeof canonical);
    snprintf(text, ADDRESS_TEXT_SIZE, "[%s]:%lu", canonical, port);
    return 0;
  }
  warn_message("invalid host \"%s\": expected an IPv4 or IPv6 address, or localhost", host);
  return -1;
}

/* Sets O_NONBLOCK on fd and returns its previous file status flags, or -1. */
static int make_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return -1;
  }
  return flags;
}

static void flow_init(struct flow *flow, const char *source_name, int source,
                      const char *destination_name, int destination, bool to_socket,
                      int destination_flags) {
  flow->source_name = source_name;
  flow->source = source;
  flow->destination_name = destination_name;
  flow->destination = destination;
  flow->to_socket = to_socket;
  flow->destination_flags = destination_flags;
  flow->start = 0;
  flow->length = 0;
}

static size_t flow_room(const struct flow *flow) {
  return sizeof flow->buffer - flow->length;
}

/* Drops the buffered bytes and stops reading, because the destination has no reader. */
static void flow_stop(struct flow *flow) {
  flow->source = -1;
  flow->start = 0;
  flow->length = 0;
}

/*
 * Ends a flow whose source has ended and whose buffer is empty: the peer reads end of file
 * after shutdown(SHUT_WR), and stdout is closed.
 */
static void flow_finish(struct flow *flow) {
  if (flow->to_socket) {
    /* ENOTCONN after a reset means the peer is gone, which ends the flow as well. */
    shutdown(flow->destination, SHUT_WR);
  } else {
    fcntl(flow->destination, F_SETFL, flow->destination_flags);
    close(flow->destination);
  }
  flow->destination = -1;
}

/* Reads what the source has into the buffer. Returns 0, or -1 after a message. */
static int flow_read(struct flow *flow) {
  if (flow->start + flow->length == sizeof flow->buffer) {
    memmove(flow->buffer, flow->buffer + flow->start, flow->length);
    flow->start = 0;
  }
  size_t end = flow->start + flow->length;
  ssize_t count = read(flow->source, flow->buffer + end, sizeof flow->buffer - end);
  if (count > 0) {
    flow->length += (size_t)count;
    return 0;
  }
  if (count < 0 && (errno == EAGAIN || errno == EINTR)) {
    return 0;
  }
  if (count < 0 && errno != ECONNRESET) {
    warn_message("cannot read from %s: %s", flow->source_name, strerror(errno));
    return -1;
  }
  /* End of file, or a reset connection, which has no more data either. */
  flow->source = -1;
  return 0;
}

/* Writes as much of the buffer as the destination takes. Returns 0, or -1 after a message. */
static int flow_write(struct flow *flow) {
  ssize_t count = write(flow->destination, flow->buffer + flow->start, flow->length);
  if (count >= 0) {
    flow->start += (size_t)count;
    flow->length -= (size_t)count;
    if (flow->length == 0) {
      flow->start = 0;
    }
    return 0;
  }
  if (errno == EAGAIN || errno == EINTR) {
    return 0;
  }
  if (errno == EPIPE || errno == ECONNRESET) {
    /* The reader has gone, which is an ordinary end of this direction. */
    flow_stop(flow);
    return 0;
  }
  warn_message("cannot write to %s: %s", flow->destination_name, strerror(errno));
  return -1;
}

/*
 * Handles POLLHUP or POLLERR on a socket that is neither read nor written: the peer's data
 * has ended and the connection was reset or closed, so nothing more can be sent. Returns 0,
 * or -1 after a message when the socket reports another error.
 */
static int handle_hangup(struct connection *connection) {
  int error = 0;
  socklen_t size = sizeof error;
  getsockopt(connection->socket_fd, SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0 && error != EPIPE && error != ECONNRESET) {
    warn_message("connection failed: %s", strerror(error));
    return -1;
  }
  flow_stop(&connection->upstream);
  return 0;
}

/* Events that end a read or a write: data or room, end of file, hang-up or an error. */
#define READ_EVENTS (POLLIN | POLLHUP | POLLERR)
#define WRITE_EVENTS (POLLOUT | POLLHUP | POLLERR)

/* Reads and writes what poll() reported. Returns 0, or -1 after a message. */
static int handle_events(struct connection *connection, const struct pollfd *slots) {
  struct flow *upstream = &connection->upstream;
  struct flow *downstream = &connection->downstream;
  short socket_events = slots[SLOT_SOCKET].events;
  short socket_revents = slots[SLOT_SOCKET].revents;
  if ((slots[SLOT_STDIN].revents & READ_EVENTS) != 0 && flow_read(upstream) != 0) {
    return -1;
  }
  if ((socket_events & POLLIN) != 0 && (socket_revents & READ_EVENTS) != 0
      && flow_read(downstream) != 0) {
    return -1;
  }
  if ((socket_events & POLLOUT) != 0 && (socket_revents & WRITE_EVENTS) != 0
      && flow_write(upstream) != 0) {
    return -1;
  }
  if ((slots[SLOT_STDOUT].revents & WRITE_EVENTS) != 0 && flow_write(downstream) != 0) {
    return -1;
  }
  if (socket_events == 0 && (socket_revents & (POLLHUP | POLLERR)) != 0) {
    return handle_hangup(connection);
  }
  return 0;
}

/* Runs the poll() loop until both directions have ended. Returns the exit code. */
static int relay(struct connection *connection) {
  struct flow *upstream = &connection->upstream;
  struct flow *downstream = &connection->downstream;
  struct flow *flows[] = {upstream, downstream};
  struct pollfd slots[SLOT_COUNT];
  while (upstream->destination >= 0 || downstream->destination >= 0) {
    /* A side is read only while its buffer has room, so a slow reader on one side holds
     * back the other side without blocking the loop. */
    bool read_stdin = upstream->source >= 0 && flow_room(upstream) > 0;
    bool read_socket = downstream->source >= 0 && flow_room(downstream) > 0;
    bool write_socket = upstream->destination >= 0 && upstream->length > 0;
    bool write_stdout = downstream->destination >= 0 && downstream->length > 0;
    /* After the peer's end of file, only POLLHUP or POLLERR shows that it closed entirely,
     * so the socket is then polled with no events. Otherwise it is left out of poll() while
     * it is neither read nor written, because a hang-up would wake poll() again and again. */
    bool watch_socket = upstream->destination >= 0 && downstream->source < 0;
    short socket_events = (short)((read_socket ? POLLIN : 0) | (write_socket ? POLLOUT : 0));
    bool poll_socket = socket_events != 0 || watch_socket;
    slots[SLOT_STDIN] = (struct pollfd){.fd = read_stdin ? STDIN_FILENO : -1, .events = POLLIN};
    slots[SLOT_SOCKET] = (struct pollfd){.fd = poll_socket ? connection->socket_fd : -1,
                                         .events = socket_events};
    slots[SLOT_STDOUT] =
        (struct pollfd){.fd = write_stdout ? STDOUT_FILENO : -1, .events = POLLOUT};
    if (poll(slots, SLOT_COUNT, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      warn_message("poll failed: %s", strerror(errno));
      return EXIT_CONNECT_FAILED;
    }
    if (handle_events(connection, slots) != 0) {
      return EXIT_CONNECT_FAILED;
    }
    for (size_t i = 0; i < sizeof flows / sizeof flows[0]; i++) {
      if (flows[i]->destination >= 0 && flows[i]->source < 0 && flows[i]->length == 0) {
        flow_finish(flows[i]);
      }
    }
  }
  return 0;
}

int connect_main(int argc, char **argv) {
  bool announce = argc == 5 && strcmp(argv[2], "--announce") == 0;
  if (argc != (announce ? 5 : 4)) {
    return usage();
  }
  const char *host = argv[announce ? 3 : 2];
  const char *port = argv[announce ? 4 : 3];
  struct sockaddr_storage address;
  socklen_t address_length;
  char address_text[ADDRESS_TEXT_SIZE];
  if (parse_address(host, port, &address, &address_length, address_text) != 0) {
    return usage();
  }
  /* A write to a closed pipe or socket then fails with EPIPE instead of killing the process. */
  signal(SIGPIPE, SIG_IGN);

  static struct connection connection;
  connection.socket_fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (connection.socket_fd < 0
      || connect(connection.socket_fd, (struct sockaddr *)&address, address_length) != 0) {
    warn_message("cannot connect to %s: %s", address_text, strerror(errno));
    return EXIT_CONNECT_FAILED;
  }

  int stdin_flags = make_nonblocking(STDIN_FILENO);
  int stdout_flags = make_nonblocking(STDOUT_FILENO);
  if (stdin_flags < 0 || stdout_flags < 0 || make_nonblocking(connection.socket_fd) < 0) {
    warn_message("cannot make stdin, stdout and the socket non-blocking: %s", strerror(errno));
    return EXIT_CONNECT_FAILED;
  }
  if (announce
      && write_all(STDERR_FILENO, CONNECT_ANNOUNCEMENT, strlen(CONNECT_ANNOUNCEMENT)) != 0) {
    return EXIT_CONNECT_FAILED;
  }
  flow_init(&connection.upstream, "stdin", STDIN_FILENO, address_text, connection.socket_fd,
            true, -1);
  flow_init(&connection.downstream, address_text, connection.socket_fd, "stdout",
            STDOUT_FILENO, false, stdout_flags);

  int exit_code = relay(&connection);
  /* stdin and stdout may be shared with other processes, which expect blocking I/O. */
  fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
  if (connection.downstream.destination >= 0) {
    fcntl(STDOUT_FILENO, F_SETFL, stdout_flags);
  }
  return exit_code;
}
