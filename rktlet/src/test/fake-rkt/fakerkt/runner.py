"""Running app processes: the hidden runner mode and the stop and kill helpers.

`rkt app start` launches this script again as
    rkt --fake-rkt-runner DATA_DIR UUID APP HANDSHAKE_FD
in a session of its own. The runner forks the app process, which gets its own
process group, when possible the app's cgroup, and then joins the pod's
network, IPC and UTS namespaces (see namespaces.py). It reports the PID to
`app start` through the handshake pipe. Then it waits for the app to exit and
records finished_ns and exit_code in app.json, as systemd does for a unit's
main process.
A process killed by signal N gets exit_code N. If the sandbox process dies
first, the runner kills the app and records nothing, as apps of a killed pod
have no exit code in rkt.
"""

import errno
import os
import select
import signal
import subprocess
import sys
import time

from . import cgroups, namespaces, pods, state

# systemd's exit status when the exec of ExecStart= fails (EXIT_EXEC).
EXIT_EXEC = 203
HANDSHAKE_TIMEOUT_SECONDS = 10


def stop_timeout_seconds():
    return state.env_number("RKT_FAKE_STOP_TIMEOUT_S", 90)


def spawn(ctx, pod, app):
    """Start the runner for an app; returns once the app process exists. Raises RuntimeError."""
    read_end, write_end = os.pipe()
    script = os.path.realpath(sys.argv[0])
    command = [sys.executable, script, "--fake-rkt-runner", ctx.data_dir, pod.uuid, app.name, str(write_end)]
    subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
        start_new_session=True,
    )
    os.close(write_end)
    deadline = time.monotonic() + HANDSHAKE_TIMEOUT_SECONDS
    reply = b""
    with os.fdopen(read_end, "rb") as handle:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([handle], [], [], deadline - time.monotonic())
            if not ready:
                break
            chunk = handle.read1(4096)
            if not chunk:
                break
            reply += chunk
            if reply.endswith(b"\n"):
                break
    if not reply.startswith(b"ok"):
        raise RuntimeError("runner failed to start the app: %s" % reply.decode(errors="replace").strip())


def signal_app(app, signal_number):
    """Send a signal to the app's process group and to every process of its cgroup."""
    run = app.data.get("run") or {}
    if run.get("pgid"):
        try:
            os.killpg(run["pgid"], signal_number)
        except (ProcessLookupError, PermissionError):
            pass
    cgroups.signal_all(run.get("cgroup"), signal_number)


def stop_app(app, timeout_seconds=None):
    """Stop a running app like `systemctl stop`: SIGTERM, then SIGKILL after the timeout.

    Returns once the runner has recorded the exit.
    """
    run = app.data.get("run")
    if not run or not app.is_running_process():
        return
    if timeout_seconds is None:
        timeout_seconds = stop_timeout_seconds()
    signal_app(app, signal.SIGTERM)
    signal_app(app, signal.SIGCONT)
    if not state.wait_for_exit(run["runner_pid"], run.get("runner_start"), timeout_seconds):
        signal_app(app, signal.SIGKILL)
        state.wait_for_exit(run["runner_pid"], run.get("runner_start"), 10)


def kill_app_now(app):
    """Kill the runner first (so it records nothing), then the app's processes."""
    run = app.data.get("run") or {}
    if run.get("runner_pid") and state.process_alive(run["runner_pid"], run.get("runner_start")):
        try:
            os.kill(run["runner_pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass
    signal_app(app, signal.SIGKILL)


# The runner process.


def main(args):
    data_dir, uuid, app_name, handshake_fd = args
    handshake = int(handshake_fd)
    # The app process must not inherit the pipe, or `app start` would wait for its EOF.
    os.set_inheritable(handshake, False)
    from .state import Context

    ctx = Context(["rkt"], {"dir": data_dir, "local-config": "/etc/rkt", "system-config": "/usr/lib/rkt",
                            "user-config": "", "insecure-options": "none", "debug": False})
    pod = pods.Pod(ctx, uuid, os.path.join(ctx.pods_dir(), uuid), state.RUN_DIR)
    app = pod.app(app_name)
    try:
        sandbox_fd = os.pidfd_open(pod.state["pid"])
    except (ProcessLookupError, OSError):
        sandbox_fd = None
    plan = launch_plan(pod, app)
    plan["namespaces"], plan["namespace_error"] = _open_namespaces(pod)
    cgroup = cgroups.create_app_cgroup(uuid, app_name)
    stdout_fd, stderr_fd = _output_fds(app)
    # The child reports through a close-on-exec pipe: end-of-file means the exec happened.
    exec_read, exec_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(exec_read)
        _exec_app(plan, cgroup, stdout_fd, stderr_fd, exec_write)
    os.close(exec_write)
    namespaces.close(plan["namespaces"])
    with os.fdopen(exec_read, "rb") as pipe:
        pipe.read()
    with pod.lock():
        app = pod.app(app_name)
        app.data["run"] = {
            "runner_pid": os.getpid(),
            "runner_start": state.process_start_time(os.getpid()),
            "pid": pid,
            "pgid": pid,
            "cgroup": cgroup,
            "command": plan["argv"],
        }
        app.save()
    os.write(handshake, b"ok\n")
    os.close(handshake)
    status, sandbox_died = _wait(pid, sandbox_fd)
    _cleanup_leftovers(pid, cgroup)
    _record_exit(pod, app_name, status, sandbox_died)
    return 0


def launch_plan(pod, app):
    """Work out argv, executable path, environment, working directory and ids of the app."""
    image_app = app.data["image"].get("app") or {}
    config = app.data["config"]
    argv = [config["exec"]] if config.get("exec") else list(image_app.get("exec") or [])
    argv += config.get("args") or []
    rootfs = app.rootfs()
    executable = path_in_rootfs(app, argv[0] if argv else "")
    working_dir = config.get("working_dir") or image_app.get("workingDirectory") or "/"
    if os.path.isdir(os.path.join(rootfs, working_dir.lstrip("/"))) and working_dir != "/":
        cwd = os.path.join(rootfs, working_dir.lstrip("/"))
    elif os.path.isdir(working_dir):
        cwd = working_dir
    else:
        cwd = "/"
    return {
        "argv": argv,
        "executable": executable,
        "env": app_environment(app),
        "cwd": cwd,
        "ids": _numeric_ids(app),
        "pod_pid": pod.state.get("pid"),
    }


def path_in_rootfs(app, path):
    """Return the path inside the app's root directory when a file exists there, else path.

    Apps are host processes, so a program that rktlet bind-mounts into the app (its
    supervisor) is found inside the root directory, while /bin/sh and the like come from
    the host.
    """
    inside = os.path.join(app.rootfs(), path.lstrip("/"))
    if path.startswith("/") and os.path.isfile(inside):
        return inside
    return path


def app_environment(app):
    """Image environment, then --environment values, then AC_APP_NAME, as in rkt's env file."""
    env = {}
    for entry in (app.data["image"].get("app") or {}).get("environment") or []:
        env[entry["name"]] = entry["value"]
    for key, value in app.data["config"].get("environment") or []:
        env[key] = value
    env["AC_APP_NAME"] = app.name
    return env


def _numeric_ids(app):
    """Return (uid, gid, supplementary gids) to switch to, or None when not root."""
    if os.geteuid() != 0:
        return None
    uid = resolve_id(app.data["effective_user"], app.data["image"].get("users"))
    gid = resolve_id(app.data["effective_group"], app.data["image"].get("groups"))
    if uid is None or gid is None:
        return None
    extra = [int(g) for g in app.data["config"].get("supplementary_gids") or []]
    groups = ([gid] if gid != 0 else []) + extra
    return uid, gid, groups


def resolve_id(name, table):
    if name is None:
        return 0
    if name.isdigit():
        return int(name)
    return (table or {}).get(name)


def _open_namespaces(pod):
    """Open the pod's namespaces for the app process; returns (handles, NamespaceError or None).

    The app process raises the error, so a pod process that is already gone or
    unreachable ends the app like a failed exec instead of running it outside the pod.
    """
    try:
        return namespaces.open_pod_namespaces(pod.state["pid"], pod.state.get("pid_start")), None
    except ProcessLookupError as error:
        return [], namespaces.NamespaceError(errno.ESRCH, "failed to join the pod's namespaces: %s" % error)
    except namespaces.NamespaceError as error:
        return [], error


def _output_fds(app):
    config = app.data["config"]
    fds = []
    for stream in ("stdout", "stderr"):
        if config.get(stream) == "null":
            fds.append(os.open(os.devnull, os.O_WRONLY))
        else:
            fds.append(os.open(os.path.join(app.dir, stream), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644))
    return fds


def _exec_app(plan, cgroup, stdout_fd, stderr_fd, exec_write):
    """Child side of the fork: become the app process or exit with EXIT_EXEC."""
    try:
        os.setpgid(0, 0)
        if plan.get("pod_pid"):
            cgroups.join_pod_v1(plan["pod_pid"])
        if cgroup:
            try:
                cgroups.join(cgroup)
            except OSError:
                pass
        if plan["namespace_error"] is not None:
            raise plan["namespace_error"]
        namespaces.join(plan["namespaces"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(stdout_fd, 1)
        os.dup2(stderr_fd, 2)
        for number in (signal.SIGPIPE, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        os.chdir(plan["cwd"])
        if plan["ids"] is not None:
            uid, gid, groups = plan["ids"]
            os.setgroups(groups)
            os.setgid(gid)
            os.setuid(uid)
        if "/" in plan["executable"]:
            os.execve(plan["executable"], plan["argv"], plan["env"])
        os.execvpe(plan["executable"], plan["argv"], plan["env"])
    except BaseException as error:  # the child must never return into the runner's code
        try:
            if isinstance(error, namespaces.NamespaceError):
                message = "%s\n" % error
            else:
                message = 'Unable to open "%s": %s\n' % (plan["argv"][0] if plan["argv"] else "",
                                                      getattr(error, "strerror", error))
            os.write(2, message.encode())
            os.write(exec_write, message.encode())
        finally:
            os._exit(EXIT_EXEC)


def _wait(pid, sandbox_fd):
    """Wait for the app or the sandbox to die; returns (wait status or None, sandbox_died)."""
    app_fd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(app_fd, select.POLLIN)
    if sandbox_fd is not None:
        poller.register(sandbox_fd, select.POLLIN)
    while True:
        events = dict(poller.poll())
        if app_fd in events:
            _, status = os.waitpid(pid, 0)
            return status, False
        if sandbox_fd is not None and sandbox_fd in events:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return None, True


def _cleanup_leftovers(pid, cgroup):
    # systemd kills what is left in the unit's cgroup once the main process exits.
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    cgroups.signal_all(cgroup, signal.SIGKILL)


def exit_code_of(status):
    if os.WIFSIGNALED(status):
        return os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _record_exit(pod, app_name, status, sandbox_died):
    with pod.lock():
        pod.reload()
        app = pod.app(app_name)
        if app is None:
            return
        app.data.pop("run", None)
        if not sandbox_died and not pod.state.get("force_killed") and status is not None:
            # The recorded quirk: apps still running when `rkt stop` began get exit code 0.
            app.data["exit_code"] = 0 if app.data.get("stop_by_pod") else exit_code_of(status)
            app.data["finished_ns"] = state.now_ns()
        app.save()
