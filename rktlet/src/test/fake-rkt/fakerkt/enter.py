"""`rkt enter` and `rkt app exec`: run a command "in" an app as a host process.

The command runs in the pod's network, IPC and UTS namespaces (see
namespaces.py) and otherwise on the host. An absolute program path that exists
inside the app's root directory is run from there, as `app start` does, else
the host's. Like the real rkt, the command runs as
root in "/" with the app's environment, inherits stdin, stdout and stderr, and its
exit code becomes rkt's. A command killed by signal N kills rkt with signal N. The
command stays in rkt's process group: killing only the rkt process leaves it
running, killing the group ends both, as recorded.
"""

import os
import shutil
import signal
import subprocess
import sys

from . import apps, namespaces, pods, runner, state

DEFAULT_COMMAND = "/bin/bash"


def cmd_enter(ctx, values, positionals):
    if not positionals:
        raise state.CommandError("must provide the pod UUID")
    try:
        pod = pods.Pod.find(ctx, positionals[0])
    except LookupError as error:
        raise state.CommandError("problem retrieving pod: %s" % error)
    if pod.status() != "running":
        raise state.CommandError('pod "%s" isn\'t currently running' % pod.uuid)

    name = _app_name(ctx, pod, values["app"])
    argv = positionals[1:]
    if not argv:
        ctx.err('no command specified, assuming "%s"' % DEFAULT_COMMAND)
        argv = [DEFAULT_COMMAND]
    app = pod.app(name)
    if app is None:
        sys.stderr.write('Error: Unable to fopen "/rkt/env/%s": No such file or directory\n' % name)
        return 6

    env = runner.app_environment(app)
    if "/" in argv[0]:
        executable = runner.path_in_rootfs(app, argv[0])
    else:
        executable = shutil.which(argv[0], path=env.get("PATH", ""))
    if not executable or not os.path.exists(executable):
        sys.stderr.write('Error: Unable to open "%s": No such file or directory\n' % argv[0])
        return 1

    _join_pod_namespaces(pod)
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)
    sys.stdout.flush()
    sys.stderr.flush()
    process = subprocess.Popen(argv, executable=executable, cwd="/", env=env)
    code = process.wait()
    if code < 0:
        ctx.log_invocation(code)
        ctx.logged = True
        if -code not in (signal.SIGKILL, signal.SIGSTOP):  # these cannot be caught anyway
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _join_pod_namespaces(pod):
    """Move this process, and so the command it starts, into the pod's namespaces."""
    try:
        namespaces.join(namespaces.open_pod_namespaces(pod.state["pid"], pod.state.get("pid_start")))
    except ProcessLookupError:
        raise state.CommandError('pod "%s" isn\'t currently running' % pod.uuid)
    except namespaces.NamespaceError as error:
        raise state.CommandError(str(error))


def _app_name(ctx, pod, name):
    if name:
        try:
            apps.validate_acname(name)
        except ValueError as error:
            raise state.CommandError("unable to determine app name: %s" % error)
        return name
    names = [app.name for app in pod.apps()]
    if not names:
        raise state.CommandError("unable to determine app name: pod contains zero apps")
    if len(names) == 1:
        return names[0]
    ctx.err("pod contains multiple apps:")
    for app_name in names:
        ctx.err("\t" + app_name)
    raise state.CommandError('unable to determine app name: specify app using "rkt enter --app= ..."')
