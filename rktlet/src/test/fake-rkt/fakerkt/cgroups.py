"""Per-app cgroup2 directories at the path the real rkt's systemd creates.

The path is <root>/unified/machine-rkt\\x2d<uuid>.scope/payload/system.slice/<app>.service
where <root> is $RKT_FAKE_CGROUP_ROOT (default /sys/fs/cgroup) and every "-" of
the UUID is written "\\x2d", systemd's unit name escaping. Nothing is created
unless <root>/unified is a writable cgroup2 mount.
"""

import os
import signal

DEFAULT_ROOT = "/sys/fs/cgroup"


def _root():
    return os.environ.get("RKT_FAKE_CGROUP_ROOT") or DEFAULT_ROOT


def scope_dir(uuid):
    return os.path.join(_root(), "unified", "machine-rkt\\x2d" + uuid.replace("-", "\\x2d") + ".scope")


def app_dir(uuid, app_name):
    return os.path.join(scope_dir(uuid), "payload", "system.slice", app_name + ".service")


def available():
    unified = os.path.join(_root(), "unified")
    return os.path.isdir(unified) and os.access(unified, os.W_OK) and _is_cgroup2_mount(unified)


def _is_cgroup2_mount(path):
    target = os.path.realpath(path)
    try:
        with open("/proc/self/mountinfo") as handle:
            for line in handle:
                fields = line.split()
                separator = fields.index("-")
                mount_point = fields[4].replace("\\040", " ")
                if mount_point == target and fields[separator + 1] == "cgroup2":
                    return True
    except OSError:
        return False
    return False


def create_app_cgroup(uuid, app_name):
    """Create the app's cgroup; returns its path, or None where that is not possible."""
    if not available():
        return None
    path = app_dir(uuid, app_name)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path


def join(path, pid=0):
    """Move a process (0: the caller) into the cgroup."""
    with open(os.path.join(path, "cgroup.procs"), "w") as handle:
        handle.write(str(pid))


def pids(path):
    if not path:
        return []
    try:
        with open(os.path.join(path, "cgroup.procs")) as handle:
            return [int(line) for line in handle if line.strip()]
    except OSError:
        return []


def signal_all(path, signal_number):
    """Send a signal to every process of the cgroup; SIGKILL uses cgroup.kill where it exists."""
    if not path:
        return
    if signal_number == signal.SIGKILL and os.path.exists(os.path.join(path, "cgroup.kill")):
        try:
            with open(os.path.join(path, "cgroup.kill"), "w") as handle:
                handle.write("1")
            return
        except OSError:
            pass
    for pid in pids(path):
        try:
            os.kill(pid, signal_number)
        except ProcessLookupError:
            pass


def remove_app_cgroup(uuid, app_name):
    _remove_empty(app_dir(uuid, app_name))


def remove_pod_cgroups(uuid):
    """Remove the pod's scope with every app cgroup below it."""
    scope = scope_dir(uuid)
    if not os.path.isdir(scope):
        return
    for directory, _, _ in sorted(os.walk(scope), key=lambda entry: -entry[0].count(os.sep)):
        _remove_empty(directory)


def _remove_empty(path):
    # A cgroup directory can be removed with rmdir once it has no processes
    # and no child cgroups; its interface files go with it.
    try:
        os.rmdir(path)
    except OSError:
        pass
    parent = os.path.dirname(path)
    for _ in range(2):
        if os.path.basename(parent) in ("system.slice", "payload"):
            try:
                os.rmdir(parent)
            except OSError:
                return
            parent = os.path.dirname(parent)


def join_pod_v1(pod_pid):
    """Move the caller into the pod process's cgroup v1 hierarchies, best effort.

    rkt's apps stay in the v1 cgroups (memory above all) of whoever launched
    `rkt app sandbox`, because the pod's systemd only manages its own unified and
    name=systemd trees; an app process here joins the pod process's, as a real
    app would have inherited them.
    """
    try:
        with open("/proc/%d/cgroup" % pod_pid) as handle:
            lines = handle.read().splitlines()
    except OSError:
        return
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if number == "0" or not controllers or controllers.startswith("name="):
            continue
        for directory in (controllers, controllers.split(",")[0]):
            procs = os.path.join(_root(), directory, path.lstrip("/"), "cgroup.procs")
            if os.path.exists(procs):
                try:
                    with open(procs, "w") as handle:
                        handle.write("0")
                except OSError:
                    pass
                break
