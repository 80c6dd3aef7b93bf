/* Run mode: the app's main process, which runs the container's command as its child. */
#ifndef SUPERVISOR_RUN_H
#define SUPERVISOR_RUN_H

/* "supervisor run": never returns; exits with the child's exit code. */
int run_main(int argc, char **argv);

#endif
