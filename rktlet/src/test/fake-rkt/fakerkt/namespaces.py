"""The pod's network, IPC and UTS namespaces, which systemd-nspawn gives a real rkt pod.

The sandbox process unshares them in place, so the PID that `rkt status` prints
as pid= is inside them, like nspawn's. Apps and `rkt enter` commands join them
with setns(2) on /proc/<pod pid>/ns/{net,ipc,uts}. A --net=host pod keeps the
host's network namespace but still gets its own IPC and UTS namespaces.

Nothing happens unless the double runs as root and RKT_FAKE_NAMESPACES is not
"0". An unshare that fails (no CAP_SYS_ADMIN) leaves the pod in the host's
namespaces without a message. Python 3.11 has no os.unshare or os.setns, so
both are called through ctypes.
"""

import ctypes
import fcntl
import os
import socket
import struct

from . import state

# Namespace flags of unshare(2) and setns(2), from <linux/sched.h>.
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000

# The namespaces an app shares with its pod: (name under /proc/<pid>/ns/, setns type).
POD_NAMESPACES = (("net", CLONE_NEWNET), ("ipc", CLONE_NEWIPC), ("uts", CLONE_NEWUTS))

# Interface flag requests from <linux/sockios.h> and IFF_UP from <net/if.h>.
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
# struct ifreq on Linux: a 16-byte interface name, then a 24-byte union whose first
# member used here is the short ifr_flags.
IFREQ_FLAGS_FORMAT = "16sh22x"

_libc = ctypes.CDLL(None, use_errno=True)


class NamespaceError(OSError):
    """A failure to set up or join the pod's namespaces; str() is the whole message."""

    def __str__(self):
        return self.strerror


def enabled():
    return os.environ.get("RKT_FAKE_NAMESPACES", "1") != "0" and os.geteuid() == 0


def create_pod_namespaces(hostname, host_network):
    """Move the calling process into new IPC, UTS and, unless host_network, network namespaces.

    Inside them the hostname is set and the loopback interface is brought up.
    Returns False, changing nothing, when namespaces are disabled or unshare(2)
    fails. Raises NamespaceError when the hostname cannot be set (for example
    when it is longer than 64 bytes) or the loopback interface cannot be brought up.
    """
    if not enabled():
        return False
    flags = CLONE_NEWIPC | CLONE_NEWUTS
    if not host_network:
        flags |= CLONE_NEWNET
    if _libc.unshare(flags) != 0:
        return False
    # Only now, with a UTS namespace of its own, may the process set a hostname:
    # before the unshare this would rename the host.
    try:
        socket.sethostname(hostname)
    except OSError as error:
        raise NamespaceError(error.errno, 'failed to set hostname "%s": %s' % (hostname, error.strerror))
    if not host_network:
        try:
            _bring_loopback_up()
        except OSError as error:
            raise NamespaceError(error.errno, "failed to bring up the loopback interface: %s" % error.strerror)
    return True


def _bring_loopback_up():
    """Set IFF_UP on "lo" of the current network namespace, as `ip link set lo up` does."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack(IFREQ_FLAGS_FORMAT, b"lo", 0)
        _, flags = struct.unpack(IFREQ_FLAGS_FORMAT, fcntl.ioctl(sock, SIOCGIFFLAGS, request))
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack(IFREQ_FLAGS_FORMAT, b"lo", flags | IFF_UP))


def open_pod_namespaces(pid, start_time):
    """Open the namespaces of the pod process that differ from the caller's.

    Returns a list of (file descriptor, setns type) for join(). The descriptors
    keep the namespaces alive even if the pod process exits before join().
    Raises ProcessLookupError when the pod process is gone (its PID checked
    against start_time), NamespaceError when a namespace cannot be opened.
    """
    handles = []
    try:
        for name, nstype in POD_NAMESPACES:
            path = "/proc/%d/ns/%s" % (pid, name)
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                raise ProcessLookupError("pod process %d no longer exists" % pid)
            except OSError as error:
                raise NamespaceError(error.errno, "failed to open %s: %s" % (path, error.strerror))
            own = os.stat("/proc/self/ns/" + name)
            target = os.fstat(fd)
            if (target.st_dev, target.st_ino) == (own.st_dev, own.st_ino):
                os.close(fd)
                continue
            handles.append((fd, nstype))
        # The PID could have been reused by another process before the open.
        if not state.process_alive(pid, start_time):
            raise ProcessLookupError("pod process %d no longer exists" % pid)
    except BaseException:
        close(handles)
        raise
    return handles


def join(handles):
    """Enter each namespace that open_pod_namespaces() returned and close its descriptor.

    Raises NamespaceError when setns(2) fails, for example without CAP_SYS_ADMIN.
    """
    names = {nstype: name for name, nstype in POD_NAMESPACES}
    try:
        for fd, nstype in handles:
            if _libc.setns(fd, nstype) != 0:
                error = ctypes.get_errno()
                raise NamespaceError(error, "failed to join the pod's %s namespace: %s"
                                     % (names[nstype], os.strerror(error)))
    finally:
        close(handles)


def close(handles):
    for fd, _ in handles:
        try:
            os.close(fd)
        except OSError:
            pass
