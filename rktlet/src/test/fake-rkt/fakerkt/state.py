"""The per-invocation context and the data directory: paths, locks, JSON files, processes."""

import contextlib
import fcntl
import json
import os
import re
import sys
import time

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Pod directories in the order rkt walks them, with the state they imply.
RUN_DIR = "run"
EXITED_GARBAGE_DIR = "exited-garbage"
POD_DIRS = (RUN_DIR, EXITED_GARBAGE_DIR)


class CommandError(Exception):
    """A failure that ends the command: message for stderr (with the command prefix) and exit code."""

    def __init__(self, message, exit_code=254):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class Context:
    """Global flags, environment and output helpers of one rkt invocation."""

    def __init__(self, argv, global_values):
        self.argv = argv
        self.apply_globals(global_values)
        # Prefix of stderr lines, the cobra command name ("add", "status", ...).
        self.prefix = "rkt"

    def apply_globals(self, global_values):
        """Take the global flags' values (--dir, --insecure-options, ...) from a parse result."""
        self.data_dir = os.path.abspath(global_values["dir"])
        self.local_config = os.path.abspath(global_values["local-config"])
        self.system_config = os.path.abspath(global_values["system-config"])
        user_config = global_values["user-config"]
        self.user_config = os.path.abspath(user_config) if user_config else ""
        self.insecure_options = set(filter(None, global_values["insecure-options"].split(",")))
        self.debug = global_values["debug"]

    def err(self, message):
        sys.stderr.write("%s: %s\n" % (self.prefix, message))

    @staticmethod
    def out(text):
        sys.stdout.write(text)

    def insecure(self, option):
        """Tell whether --insecure-options disables the given check."""
        groups = {
            "image": ("image", "all-fetch", "all"),
            "http": ("http", "all-fetch", "all"),
            "tls": ("tls", "all-fetch", "all"),
        }
        return bool(self.insecure_options.intersection(groups.get(option, (option, "all"))))

    # Paths inside the data directory.

    def pods_dir(self, kind=RUN_DIR):
        return os.path.join(self.data_dir, "pods", kind)

    def fake_dir(self, *parts):
        """Directory of state that only the double keeps (not part of rkt's layout)."""
        return os.path.join(self.data_dir, "fake-rkt", *parts)

    @contextlib.contextmanager
    def lock(self, name):
        """Hold an exclusive flock on fake-rkt/locks/NAME for the duration of the block."""
        directory = self.fake_dir("locks")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, name + ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def log_invocation(self, exit_code):
        """Append the invocation's argv, RKT_EXPERIMENT_* variables and exit code to the log."""
        record = {
            "argv": self.argv,
            "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith("RKT_EXPERIMENT_")},
            "exit_code": exit_code,
        }
        log_invocation(self.fake_dir(), record)


def log_invocation(fake_dir, record):
    os.makedirs(fake_dir, exist_ok=True)
    line = json.dumps(record, separators=(",", ":")) + "\n"
    # One write call per line with O_APPEND keeps lines of parallel invocations whole.
    fd = os.open(os.path.join(fake_dir, "invocations.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read_json(path, default=None):
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        return default


def write_json(path, value):
    """Replace path atomically, so readers without the lock never see a partial file."""
    temporary = "%s.tmp-%d" % (path, os.getpid())
    with open(temporary, "w") as handle:
        json.dump(value, handle, indent=1, sort_keys=False)
        handle.write("\n")
    os.replace(temporary, path)


def now_ns():
    return time.time_ns()


def env_number(name, default):
    """Read a numeric RKT_FAKE_* setting; an unset or empty variable gives the default."""
    text = os.environ.get(name, "")
    if not text:
        return default
    return float(text)


# Processes.


def process_start_time(pid):
    """Return the start time (clock ticks since boot) of a live process, or None.

    Zombies count as gone. Comparing start times guards against a PID that the
    kernel reused for another process.
    """
    try:
        with open("/proc/%d/stat" % pid) as handle:
            text = handle.read()
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def process_alive(pid, start_time):
    if not pid:
        return False
    current = process_start_time(pid)
    return current is not None and (start_time is None or current == start_time)


def wait_for_exit(pid, start_time, timeout_seconds):
    """Wait until the process is gone; returns False if it is still alive at the deadline."""
    deadline = time.monotonic() + timeout_seconds
    try:
        pidfd = os.pidfd_open(pid)
    except (ProcessLookupError, OSError):
        pidfd = None
    try:
        while process_alive(pid, start_time):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if pidfd is not None:
                import select

                poller = select.poll()
                poller.register(pidfd, select.POLLIN)
                poller.poll(min(remaining, 0.5) * 1000)
            else:
                time.sleep(min(remaining, 0.02))
        return True
    finally:
        if pidfd is not None:
            os.close(pidfd)


# Pod lookup.


def list_pod_dirs(ctx):
    """Return (uuid, path, kind) of every pod, run directory first, each sorted by UUID."""
    pods = []
    for kind in POD_DIRS:
        directory = ctx.pods_dir(kind)
        try:
            names = sorted(os.listdir(directory))
        except FileNotFoundError:
            continue
        for name in names:
            path = os.path.join(directory, name)
            if UUID_PATTERN.match(name) and os.path.exists(os.path.join(path, "pod-state.json")):
                pods.append((name, path, kind))
    return pods


def find_pod_dir(ctx, text):
    """Resolve a UUID or UUID prefix like rkt; raises LookupError with rkt's message."""
    matches = [pod for pod in list_pod_dirs(ctx) if pod[0].startswith(text)]
    exact = [pod for pod in matches if pod[0] == text]
    if exact:
        return exact[0]
    if not matches or not text:
        raise LookupError('no matches found for "%s"' % text)
    if len(matches) > 1:
        raise LookupError("ambiguous uuid, %d matches" % len(matches))
    return matches[0]
