"""Pod networks: the built-in "default" ptp network and CNI networks named with --net.

No interface is created: a pod's own network namespace holds only the
loopback interface, and the addresses below appear in `rkt status` and
`rkt list` but are configured nowhere. The double only allocates them, host-local
style: each network hands out the next free host address after the last one
it gave, and an address stays reserved until the pod is removed by rkt rm or
rkt gc, as CNI allocations do with the real rkt.
"""

import glob
import ipaddress
import json
import os

from .state import CommandError

DEFAULT_NETWORK = {
    "name": "default",
    "type": "ptp",
    "subnet": "172.16.28.0/24",
    "conf": "net/99-default.conf",
}


def _network_names(net_values):
    names = []
    for value in net_values or ["default"]:
        names.extend(part for part in value.split(",") if part)
    return names


def uses_host_network(net_values):
    """Tell whether --net puts the pod into the host's network namespace.

    Only "host" does. "none" gives the pod a network namespace of its own with
    the loopback interface alone, so it has no networks entry either.
    """
    return "host" in _network_names(net_values)


def resolve_networks(ctx, net_values):
    """Turn --net values into network descriptions; [] means host networking or "none"."""
    names = _network_names(net_values)
    if "host" in names or "none" in names:
        return []
    networks = []
    for entry in names:
        name, _, args = entry.partition(":")
        network = dict(DEFAULT_NETWORK) if name in ("default", "default-restricted") else _load_conf(ctx, name)
        network["name"] = name
        network["args"] = args
        networks.append(network)
    return networks


def _load_conf(ctx, name):
    for directory in (ctx.local_config, ctx.system_config):
        for path in sorted(glob.glob(os.path.join(directory, "net.d", "*.conf"))):
            try:
                with open(path) as handle:
                    conf = json.load(handle)
            except (OSError, ValueError):
                continue
            if conf.get("name") == name:
                subnet = (conf.get("ipam") or {}).get("subnet", DEFAULT_NETWORK["subnet"])
                return {"name": name, "type": conf.get("type", "ptp"), "subnet": subnet, "conf": path}
    # NOTE: rkt's message for an unknown network was not recorded; this wording is a guess.
    raise CommandError('networking: network "%s" not found in %s' % (name, os.path.join(ctx.local_config, "net.d")))


def allocate(ctx, uuid, networks):
    """Reserve one address per network for the pod; returns rkt's NetInfo entries."""
    infos = []
    with ctx.lock("ipam"):
        for index, network in enumerate(networks):
            address, subnet = _reserve(ctx, uuid, network)
            infos.append(
                {
                    "netName": network["name"],
                    "netConf": network["conf"],
                    "pluginPath": "stage1/rootfs/usr/lib/rkt/plugins/net/" + network["type"],
                    "ifName": "eth%d" % index,
                    "ip": str(address),
                    "args": network["args"],
                    "mask": str(subnet.netmask),
                }
            )
    return infos


def _reserve(ctx, uuid, network):
    subnet = ipaddress.ip_network(network["subnet"], strict=False)
    directory = ctx.fake_dir("ipam", network["name"])
    os.makedirs(directory, exist_ok=True)
    hosts = list(subnet.hosts())[1:]  # the first host address is the gateway
    last_path = os.path.join(directory, "last_reserved_ip")
    try:
        with open(last_path) as handle:
            last = ipaddress.ip_address(handle.read().strip())
        start = hosts.index(last) + 1 if last in hosts else 0
    except (FileNotFoundError, ValueError):
        start = 0
    for offset in range(len(hosts)):
        address = hosts[(start + offset) % len(hosts)]
        path = os.path.join(directory, str(address))
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(uuid)
        with open(last_path, "w") as handle:
            handle.write(str(address))
        return address, subnet
    raise CommandError('networking: no IP addresses available in network "%s"' % network["name"])


def release(ctx, uuid):
    """Free every address reserved for the pod."""
    with ctx.lock("ipam"):
        for path in glob.glob(ctx.fake_dir("ipam", "*", "*")):
            if os.path.basename(path) == "last_reserved_ip":
                continue
            try:
                with open(path) as handle:
                    owner = handle.read().strip()
            except OSError:
                continue
            if owner == uuid:
                os.unlink(path)


def format_networks(infos):
    """Format networks like `rkt status` and `rkt list` ("default:ip4=172.16.28.2")."""
    # NOTE: only single networks were recorded; the ", " between several is a guess.
    return ", ".join("%s:ip4=%s" % (info["netName"], info["ip"]) for info in infos)
