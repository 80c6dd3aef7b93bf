"""Pods and apps as stored in the data directory, and their rkt JSON and text forms.

A pod lives in pods/run/<uuid>/ (pods/exited-garbage/<uuid>/ once rkt gc marked
it) with these files:

  pod-config.json   the parsed `rkt app sandbox` flags (for tests to assert)
  pod-state.json    sandbox PID, times, networks and stop flags
  appsinfo/<app>/app.json
                    the app's add flags, image snapshot, times, exit status and
                    the PIDs of its current run
  appsinfo/<app>/stdout, stderr
                    the app's output unless its --stdout/--stderr is null
  stage1/rootfs/opt/stage2/<app>/rootfs/
                    the app's root directory, created by `rkt app add`
"""

import ctypes
import os

from . import cgroups, gofmt, network, state


class App:
    def __init__(self, pod, name):
        self.pod = pod
        self.name = name
        self.dir = os.path.join(pod.path, "appsinfo", name)
        self.data = state.read_json(os.path.join(self.dir, "app.json"), {})

    def save(self):
        state.write_json(os.path.join(self.dir, "app.json"), self.data)

    def rootfs(self):
        return os.path.join(self.pod.path, "stage1", "rootfs", "opt", "stage2", self.name, "rootfs")

    def exit_code(self):
        return self.data.get("exit_code")

    def is_running_process(self):
        """Tell whether the app has a live process supervised by its runner."""
        run = self.data.get("run")
        return bool(run) and state.process_alive(run.get("runner_pid"), run.get("runner_start"))

    def status_state(self):
        """App state as `rkt app status` and `rkt app list` report it (marker-file logic)."""
        if self.data.get("finished_ns") is not None:
            result = "exited"
        elif self.data.get("started_ns") is not None:
            result = "running"
        else:
            result = "created"
        if self.pod.is_after_run():
            result = "exited"
        return result

    def status_json(self):
        """The app object of `rkt app status --format=json`, with the app's own times."""
        obj = {"name": self.name, "state": self.status_state(), "created_at": self.data["created_ns"]}
        if self.data.get("started_ns") is not None:
            obj["started_at"] = self.data["started_ns"]
        finished = self.data.get("finished_ns")
        if finished is None and self.pod.is_after_run():
            finished = self.pod.state.get("gc_marked_ns")
        if finished is not None:
            obj["finished_at"] = finished
        if self.exit_code() is not None:
            obj["exit_code"] = self.exit_code()
        obj["image_id"] = self.data["image_id"]
        self._add_common(obj)
        return obj

    def pod_level_json(self):
        """The app object inside `rkt status/list --format=json`.

        rkt 1.30.0 fills these entries from the pod, as its lib does for
        immutable pods: the pod's creation and start times, the pod's state
        unless an exit code exists, and no finish time before rkt gc.
        """
        pod_state = self.pod.status()
        if self.exit_code() is not None:
            app_state = "exited"
        elif pod_state == "running":
            # NOTE: recorded only for apps that had started; apps not yet started are assumed
            # to show "running" too, as the pod-derived state implies.
            app_state = "running"
        else:
            app_state = "exited"
        obj = {"name": self.name, "state": app_state, "created_at": self.pod.state["created_ns"]}
        if self.pod.state.get("started_ns") is not None:
            obj["started_at"] = self.pod.state["started_ns"]
        if self.pod.state.get("gc_marked_ns") is not None:
            obj["finished_at"] = self.pod.state["gc_marked_ns"]
        if self.exit_code() is not None:
            obj["exit_code"] = self.exit_code()
        obj["image_id"] = self.data["image_id"]
        self._add_common(obj)
        return obj

    def _add_common(self, obj):
        mounts = [
            {
                "name": volume.get("name", ""),
                "container_path": volume.get("target", ""),
                "host_path": volume.get("source", ""),
                "read_only": volume.get("readOnly", "false") == "true",
            }
            for volume in self.data.get("config", {}).get("mnt_volumes", [])
        ]
        if mounts:
            obj["mounts"] = mounts
        for key in ("user_annotations", "user_labels"):
            values = self.data.get("config", {}).get(key) or {}
            if values:
                obj[key] = dict(sorted(values.items()))


class Pod:
    def __init__(self, ctx, uuid, path, kind):
        self.ctx = ctx
        self.uuid = uuid
        self.path = path
        self.kind = kind
        self.state = state.read_json(os.path.join(path, "pod-state.json"), {})
        self.config = state.read_json(os.path.join(path, "pod-config.json"), {})

    @classmethod
    def find(cls, ctx, text):
        uuid, path, kind = state.find_pod_dir(ctx, text)
        return cls(ctx, uuid, path, kind)

    def lock(self):
        return self.ctx.lock("pod-" + self.uuid)

    def reload(self):
        self.state = state.read_json(os.path.join(self.path, "pod-state.json"), {})

    def save_state(self):
        state.write_json(os.path.join(self.path, "pod-state.json"), self.state)

    def sandbox_alive(self):
        return state.process_alive(self.state.get("pid"), self.state.get("pid_start"))

    def status(self):
        """Pod state name as rkt prints it ("running", "exited", "exited garbage")."""
        if self.kind == state.EXITED_GARBAGE_DIR:
            return "exited garbage"
        if self.state.get("exited_ns") is not None or self.state.get("force_killed"):
            return "exited"
        return "running" if self.sandbox_alive() else "exited"

    def is_after_run(self):
        return self.status() != "running"

    def is_ready(self):
        ready = self.state.get("ready_ns")
        return self.status() == "running" and ready is not None and state.now_ns() >= ready

    def apps(self):
        directory = os.path.join(self.path, "appsinfo")
        try:
            names = os.listdir(directory)
        except FileNotFoundError:
            return []
        apps = [App(self, name) for name in names]
        apps = [app for app in apps if app.data]
        return sorted(apps, key=lambda app: app.data.get("seq", 0))

    def app(self, name):
        if not name or "/" in name or name in (".", ".."):
            return None
        try:
            app = App(self, name)
        except OSError:  # a name too long for the file system is no app of this pod
            return None
        return app if app.data else None

    def to_json(self):
        obj = {"name": self.uuid, "state": self.status()}
        if self.state.get("networks"):
            obj["networks"] = self.state["networks"]
        apps = self.apps()
        if apps:
            obj["app_names"] = [app.name for app in apps]
            obj["apps"] = [app.pod_level_json() for app in apps]
        obj["created_at"] = self.state["created_ns"] // gofmt.NANOS_PER_SECOND
        if self.state.get("started_ns") is not None:
            obj["started_at"] = self.state["started_ns"] // gofmt.NANOS_PER_SECOND
        for key in ("user_annotations", "user_labels"):
            values = self.config.get(key) or {}
            if values:
                obj[key] = dict(sorted(values.items()))
        return obj

    def status_text(self):
        """The key=value form of `rkt status`; times are millisecond-precision local times."""
        pod_state = self.status()
        lines = ["state=" + pod_state, "created=" + gofmt.go_time(self.state["created_ns"], 3)]
        if self.state.get("started_ns") is not None:
            lines.append("started=" + gofmt.go_time(self.state["started_ns"], 3))
        lines.append("networks=" + network.format_networks(self.state.get("networks") or []))
        lines.append("pid=%d" % self.state["pid"])
        lines.append("exited=%s" % ("false" if pod_state == "running" else "true"))
        if pod_state != "running":
            for app in self.apps():
                if app.exit_code() is not None:
                    lines.append("app-%s=%d" % (app.name, app.exit_code()))
        return "\n".join(lines) + "\n"


def delete_pod(ctx, pod):
    """Remove a stopped pod's directory, addresses and cgroups, as rkt's deletePod does.

    Mounts left under the pod directory are detached first. A directory that
    stays a mount point is never descended into, so no data behind a bind
    mount is deleted.
    """
    network.release(ctx, pod.uuid)
    cgroups.remove_pod_cgroups(pod.uuid)
    unmount_below(pod.path)
    remove_tree(pod.path)


def mount_points_below(path):
    prefix = os.path.realpath(path)
    points = []
    try:
        with open("/proc/self/mountinfo") as handle:
            for line in handle:
                point = _unescape_mountinfo(line.split()[4])
                if point == prefix or point.startswith(prefix + "/"):
                    points.append(point)
    except OSError:
        pass
    return sorted(points, key=len, reverse=True)


def _unescape_mountinfo(text):
    for escaped, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        text = text.replace(escaped, char)
    return text


def unmount_below(path):
    """Detach every mount under path (deepest first); raises OSError if one stays."""
    libc = ctypes.CDLL(None, use_errno=True)
    detach = 2  # MNT_DETACH
    for point in mount_points_below(path):
        if libc.umount2(point.encode(), detach) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), point)


def remove_tree(path):
    """Delete a directory tree without following symlinks or entering mount points."""
    mounts = set(mount_points_below(path))
    if os.path.realpath(path) in mounts:
        raise OSError(16, "device or resource busy", path)

    def remove(directory):
        for entry in os.scandir(directory):
            if entry.is_dir(follow_symlinks=False):
                if os.path.realpath(entry.path) in mounts:
                    raise OSError(16, "device or resource busy", entry.path)
                remove(entry.path)
                os.rmdir(entry.path)
            else:
                os.unlink(entry.path)

    if os.path.isdir(path):
        remove(path)
        os.rmdir(path)
