"""`rkt app sandbox`: the foreground process that is the pod.

The process creates the pod, moves itself into the pod's namespaces (see
namespaces.py), starts one child in place of the pod's systemd, writes the
UUID file about 60 ms after launch, counts as ready RKT_FAKE_READY_DELAY_MS
(default 150) after launch, and then waits. SIGTERM (sent by `rkt stop`)
starts rkt's graceful shutdown: SIGTERM to every running app, SIGKILL after
the stop timeout, exit code 0 recorded for every app that was still running,
exit status 0. `rkt stop --force` kills this process with SIGKILL instead.
"""

import os
import signal
import sys
import time
import uuid as uuid_module

from . import flags, images, namespaces, network, pods, runner, state
from .flags import Flag

UUID_FILE_DELAY_SECONDS = 0.06
STAGE1_WARNING = (
    "stage1: warning: error setting journal ACLs, you'll need root to read the pod journal: "
    'group "rkt" not found\n'
)

SANDBOX_FLAGS = [
    Flag("uuid-file-save"),
    Flag("net", flags.LIST),
    Flag("hostname"),
    Flag("dns", flags.LIST),
    Flag("dns-search", flags.LIST),
    Flag("dns-opt", flags.LIST),
    Flag("dns-domain"),
    Flag("hosts-entry", flags.LIST),
    Flag("port", flags.LIST),
    Flag("annotation", flags.LIST),
    Flag("user-annotation", flags.LIST),
    Flag("user-label", flags.LIST),
    Flag("stage1-name"),
    Flag("stage1-path"),
    Flag("stage1-from-dir"),
    Flag("stage1-url"),
    Flag("stage1-hash"),
    Flag("inherit-env", flags.BOOL, default=False),
    Flag("set-env", flags.LIST),
    Flag("set-env-file"),
    Flag("private-users", flags.BOOL, default=False),
    Flag("no-overlay", flags.BOOL, default=False),
]


def ready_delay_ns():
    return int(state.env_number("RKT_FAKE_READY_DELAY_MS", 150) * 1_000_000)


def _port(text):
    parts = text.split(":")
    if len(parts) == 5:
        name, protocol, pod_port, host_ip, host_port = parts
        return {"name": name, "protocol": protocol, "pod_port": pod_port, "host_ip": host_ip, "host_port": host_port}
    return {"raw": text}


def _pairs(values):
    return dict(flags.split_key_value(value) for value in values)


def pod_config(ctx, pod_uuid, values):
    """The parsed sandbox flags, stored as pod-config.json."""
    return {
        "uuid": pod_uuid,
        "argv": ctx.argv,
        "net": values["net"],
        "hostname": values["hostname"] or "rkt-" + pod_uuid,
        "dns": values["dns"],
        "dns_search": values["dns-search"],
        "dns_opt": values["dns-opt"],
        "dns_domain": values["dns-domain"],
        "hosts_entries": values["hosts-entry"],
        "ports": [_port(value) for value in values["port"]],
        "annotations": _pairs(values["annotation"]),
        "user_annotations": _pairs(values["user-annotation"]),
        "user_labels": _pairs(values["user-label"]),
        "stage1": {
            "name": values["stage1-name"],
            "path": values["stage1-path"],
            "from_dir": values["stage1-from-dir"],
            "url": values["stage1-url"],
            "hash": values["stage1-hash"],
        },
        "set_env": values["set-env"],
        "insecure_options": sorted(ctx.insecure_options),
        "local_config": ctx.local_config,
        "system_config": ctx.system_config,
        "user_config": ctx.user_config,
    }


def cmd_sandbox(ctx, values, positionals):
    launched_ns = state.now_ns()
    launched = time.monotonic()
    pod_uuid = os.environ.get("RKT_FAKE_UUID") or str(uuid_module.uuid4())
    if not state.UUID_PATTERN.match(pod_uuid):
        raise state.CommandError('invalid RKT_FAKE_UUID "%s"' % pod_uuid)
    networks = network.resolve_networks(ctx, values["net"])
    ctx.err('group "rkt" not found, will use default gid when rendering images')
    images.import_stage1(ctx)

    pod_dir = os.path.join(ctx.pods_dir(), pod_uuid)
    try:
        os.makedirs(pod_dir)
    except FileExistsError:
        raise state.CommandError('pod "%s" already exists' % pod_uuid)
    os.makedirs(os.path.join(pod_dir, "appsinfo"))
    os.makedirs(os.path.join(pod_dir, "stage1", "rootfs", "opt", "stage2"))
    config = pod_config(ctx, pod_uuid, values)
    state.write_json(os.path.join(pod_dir, "pod-config.json"), config)

    # The namespaces exist before pod-state.json does, so every rkt command that can
    # find the pod finds its process already in them.
    try:
        namespaces.create_pod_namespaces(config["hostname"], network.uses_host_network(values["net"]))
    except namespaces.NamespaceError as error:
        # NOTE: how the real rkt fails for a hostname the kernel rejects was not recorded.
        raise state.CommandError(str(error))
    init_pid, init_pipe = start_init_process()

    pid = os.getpid()
    pod_state = {
        "pid": pid,
        "pid_start": state.process_start_time(pid),
        "init_pid": init_pid,
        "init_start": state.process_start_time(init_pid),
        "created_ns": launched_ns,
        "started_ns": state.now_ns(),
        "ready_ns": launched_ns + ready_delay_ns(),
        "networks": network.allocate(ctx, pod_uuid, networks),
    }
    state.write_json(os.path.join(pod_dir, "pod-state.json"), pod_state)

    sys.stderr.write(STAGE1_WARNING)
    sys.stderr.flush()
    # The sandbox may end by SIGKILL, so its invocation is logged now, without an exit code.
    ctx.log_invocation(None)
    ctx.logged = True

    wait_signals = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, wait_signals)
    if values["uuid-file-save"]:
        time.sleep(max(0.0, UUID_FILE_DELAY_SECONDS - (time.monotonic() - launched)))
        _write_uuid_file(values["uuid-file-save"], pod_uuid)
    signal.sigwait(wait_signals)
    pod = pods.Pod(ctx, pod_uuid, pod_dir, state.RUN_DIR)
    shut_down(pod)
    stop_init_process(init_pid, init_pipe)
    sys.stderr.write(
        'Attempted to remove disk file system under "/run/systemd/nspawn/propagate/rkt-%s", '
        "and we can't allow that.\n" % pod_uuid
    )
    return 0


def start_init_process():
    """Fork the stand-in for the pod's systemd, the child of pid= in a real rkt pod.

    The child inherits the pod's namespaces and sleeps until its pipe reaches
    end-of-file. Only this process has the write end open, so that happens when
    this process closes it or dies, by any signal. The child ignores SIGTERM,
    SIGINT and SIGHUP, so only the pod's end stops it. Returns (child PID, write end).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(read_end)
        return pid, write_end
    try:
        os.close(write_end)
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
        # Release the pod's stdout and stderr, so that a reader of them gets
        # end-of-file when the pod process exits.
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
        while os.read(read_end, 1):
            pass
    finally:
        os._exit(0)


def stop_init_process(pid, pipe):
    """Close the pipe of the init stand-in, which makes it exit, and reap it."""
    os.close(pipe)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _write_uuid_file(path, pod_uuid):
    temporary = "%s.tmp-%d" % (path, os.getpid())
    with open(temporary, "w") as handle:
        handle.write(pod_uuid)
    os.replace(temporary, path)


def shut_down(pod):
    """Stop every app like the pod's systemd at shutdown, then mark the pod exited."""
    with pod.lock():
        pod.reload()
        pod.state["stopping"] = True
        pod.save_state()
        running = [app for app in pod.apps() if app.is_running_process()]
        for app in running:
            app.data["stop_by_pod"] = True
            app.save()
    deadline = time.monotonic() + runner.stop_timeout_seconds()
    for app in running:
        runner.signal_app(app, signal.SIGTERM)
        runner.signal_app(app, signal.SIGCONT)
    for app in running:
        run = app.data["run"]
        remaining = max(0.0, deadline - time.monotonic())
        if not state.wait_for_exit(run["runner_pid"], run.get("runner_start"), remaining):
            runner.signal_app(app, signal.SIGKILL)
            state.wait_for_exit(run["runner_pid"], run.get("runner_start"), 10)
    with pod.lock():
        pod.reload()
        for app in pod.apps():
            if app.data.get("run") and app.data.get("stop_by_pod"):
                # The runner died without recording; record what rkt would.
                app.data.pop("run")
                app.data["exit_code"] = 0
                app.data["finished_ns"] = state.now_ns()
                app.save()
        pod.state["exited_ns"] = state.now_ns()
        pod.save_state()
