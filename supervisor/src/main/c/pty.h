/* Pseudo-terminals for TTY containers and TTY exec sessions. */
#ifndef SUPERVISOR_PTY_H
#define SUPERVISOR_PTY_H

/*
 * Opens a new pseudo-terminal: the master (nonblocking) and the slave, both close-on-exec.
 * Returns 0, or -1 with the reason in error.
 */
int pty_open(int *master, int *slave, char *error);

/* Sets the window size of the terminal; the child's foreground group gets SIGWINCH. */
int pty_resize(int master, unsigned short columns, unsigned short rows);

/*
 * In a new session, makes slave the controlling terminal and stdin, stdout and stderr.
 * Returns 0, or -1 with the reason in error.
 */
int pty_become_controlling(int slave, char *error);

#endif
