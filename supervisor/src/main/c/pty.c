#include "pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"

/* Opens the slave by path, for kernels before 4.13 that lack TIOCGPTPEER. */
static int open_slave_by_name(int master) {
  char name[64];
  if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0) {
    return -1;
  }
  return open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

int pty_open(int *master, int *slave, char *error) {
  *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*master < 0) {
    return set_error(error, "cannot open /dev/ptmx: %s", strerror(errno));
  }
  int unlock = 0;
  if (ioctl(*master, TIOCSPTLCK, &unlock) != 0) {
    return set_error(error, "cannot unlock the pseudo-terminal: %s", strerror(errno));
  }
  *slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*slave < 0) {
    *slave = open_slave_by_name(*master);
  }
  if (*slave < 0) {
    return set_error(error, "cannot open the pseudo-terminal's slave: %s", strerror(errno));
  }
  if (set_nonblocking(*master) != 0) {
    return set_error(error, "cannot make the pseudo-terminal nonblocking: %s", strerror(errno));
  }
  return 0;
}

int pty_resize(int master, unsigned short columns, unsigned short rows) {
  struct winsize size = {.ws_row = rows, .ws_col = columns};
  return ioctl(master, TIOCSWINSZ, &size);
}

int pty_become_controlling(int slave, char *error) {
  if (ioctl(slave, TIOCSCTTY, 0) != 0) {
    return set_error(error, "cannot make the pseudo-terminal the controlling terminal: %s",
                     strerror(errno));
  }
  for (int fd = 0; fd <= 2; fd++) {
    if (dup2(slave, fd) < 0) {
      return set_error(error, "cannot attach the pseudo-terminal to fd %d: %s", fd,
                       strerror(errno));
    }
  }
  if (slave > 2) {
    close(slave);
  }
  return 0;
}
