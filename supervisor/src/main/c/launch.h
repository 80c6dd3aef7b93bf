/* Launch mode: starts a host program inside given cgroups, in a new session. */
#ifndef SUPERVISOR_LAUNCH_H
#define SUPERVISOR_LAUNCH_H

/* "supervisor launch --cgroup-procs=FILE... -- PROGRAM ARGS...": returns only on failure. */
int launch_main(int argc, char **argv);

#endif
