"""`rkt fetch docker://...` against a registry simulated from a JSON file.

$RKT_FAKE_REGISTRY names the registry file (schema in README.md). Without it
every reference exists: the manifest digest of HOST/REPO:TAG is the sha256 of
that text, and REPO@DIGEST has manifest digest DIGEST.
"""

import glob
import hashlib
import json
import os

from . import gofmt, images
from .images import STORE_MISS

DOCKER_HUB = "registry-1.docker.io"
DEFAULT_CREATED = "1970-01-01T00:00:00Z"
DEFAULT_CONFIG = {
    "exec": ["/bin/sh"],
    "user": "0",
    "group": "0",
    "workingDirectory": "/",
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "size": 2128896,
}
DEFAULT_LAYER_SIZE = 1090000


class FetchError(Exception):
    """A failed fetch; str() is the text rkt prints after "fetch: "."""


class Reference:
    """A parsed docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST] reference."""

    def __init__(self, text):
        self.url = text
        body = text[len("docker://"):]
        self.original = body
        digest = None
        if "@" in body:
            body, digest = body.split("@", 1)
        tag = None
        slash = body.rfind("/")
        colon = body.rfind(":")
        if colon > slash:
            body, tag = body[:colon], body[colon + 1:]
        first, _, rest = body.partition("/")
        if rest and ("." in first or ":" in first or first == "localhost"):
            host, repo = first, rest
        else:
            host, repo = DOCKER_HUB, body
        if host in ("docker.io", "index.docker.io"):
            # NOTE: the naming of Docker Hub images follows docker2aci's defaults; not recorded.
            host = DOCKER_HUB
        if host == DOCKER_HUB and "/" not in repo:
            repo = "library/" + repo
        self.host = host
        self.repo = repo
        self.digest = digest
        self.tag = None if digest else (tag or "latest")
        self.store_name = host.replace(":", "_") + "/" + repo


def cmd_fetch(ctx, values, positionals):
    if not positionals:
        ctx.err("must provide at least one image")
        return 254
    for text in positionals:
        try:
            image_id = fetch_one(ctx, values, text)
        except FetchError as error:
            ctx.err(str(error))
            return 254
        ctx.out((image_id if values["full"] else image_id[: len("sha512-") + 32]) + "\n")
    return 0


def fetch_one(ctx, values, text):
    if not text.startswith("docker://"):
        path = text[len("file://"):] if text.startswith("file://") else text
        if path.startswith("/") or path.startswith("."):
            if not os.path.exists(path):
                raise FetchError("open %s: no such file or directory" % path)
        # NOTE: the double imports only docker:// references; this message is its own.
        raise FetchError("the fake rkt can only fetch docker:// images, not %s" % text)
    reference = Reference(text)
    if not ctx.insecure("image"):
        raise FetchError("signature verification for docker images is not supported (try --insecure-options=image)")
    store = images.Store(ctx)
    policy = values["pull-policy"]
    if policy in ("never", "new"):
        cached = _find_cached(store, reference)
        if cached is not None:
            return cached["id"]
        if policy == "never":
            raise FetchError('unable to fetch docker image from URL "%s": %s' % (text, STORE_MISS))

    config, manifest_digest = _resolve(ctx, reference)
    layers = config.get("layers") or [{"digest": _sha256(manifest_digest + "/layer"), "size": DEFAULT_LAYER_SIZE}]
    for layer in layers:
        size = _decimal_bytes(layer["size"])
        _stderr("Downloading %s %s / %s\n" % (layer["digest"][:18], size, size))
    record = _record(reference, config, manifest_digest, layers)
    with ctx.lock("store"):
        existing = store.get(record["id"])
        if existing is not None:
            record["import_ns"] = max(record["import_ns"], existing["import_ns"] + 1)
            record["last_used_ns"] = record["import_ns"]
        store.save(record)
    return record["id"]


def _stderr(text):
    import sys

    sys.stderr.write(text)


def _find_cached(store, reference):
    for record in reversed(store.all()):
        if record["name"] != reference.store_name:
            continue
        if reference.tag is not None and images.image_version(record) == reference.tag:
            return record
        if reference.digest is not None and _annotation(record, "appc.io/docker/manifesthash") == reference.digest:
            return record
    return None


def _annotation(record, name):
    for annotation in record.get("annotations") or []:
        if annotation["name"] == name:
            return annotation["value"]
    return None


def _resolve(ctx, reference):
    """Return (image config, manifest digest) or raise the registry's error."""
    registry_path = os.environ.get("RKT_FAKE_REGISTRY", "")
    if not registry_path:
        digest = reference.digest or _sha256("%s/%s:%s" % (reference.host, reference.repo, reference.tag))
        return dict(DEFAULT_CONFIG), digest
    with open(registry_path) as handle:
        registry = json.load(handle)
    host = (registry.get("hosts") or {}).get(reference.host)
    scheme = "http" if ctx.insecure("http") else "https"
    if host is None:
        address = reference.host
        if ":" not in address:
            address += ":80" if scheme == "http" else ":443"
        raise FetchError('Get "%s://%s/v2/": dial tcp %s: connect: connection refused' % (scheme, reference.host, address))
    if host.get("scheme", "https") == "http" and scheme == "https":
        raise FetchError('Get "https://%s/v2/": http: server gave HTTP response to HTTPS client' % reference.host)

    required = host.get("credentials")
    if required and _credentials(ctx, reference.host) != (required.get("user"), required.get("password")):
        # NOTE: rkt's message for missing or wrong registry credentials was not recorded; this is a guess.
        raise FetchError("unexpected http code: 401, URL: %s://%s/v2/%s/manifests/%s"
                         % (scheme, reference.host, reference.repo, reference.digest or reference.tag))

    repository = (host.get("repositories") or {}).get(reference.repo)
    not_found = FetchError("attempted fallback to API v1 but not supported")
    if repository is None:
        raise not_found
    tags = repository.get("tags") or {}
    if reference.digest is not None:
        known = set(tags.values()) | set(repository.get("digests") or [])
        if reference.digest not in known:
            raise not_found
        digest = reference.digest
    else:
        if reference.tag not in tags:
            raise not_found
        digest = tags[reference.tag]
    config = dict(DEFAULT_CONFIG)
    config.update((registry.get("manifests") or {}).get(digest) or {})
    return config, digest


def _credentials(ctx, host):
    """Read dockerAuth credentials for host from the auth.d directories; later ones win."""
    found = (None, None)
    for directory in (ctx.system_config, ctx.local_config, ctx.user_config):
        if not directory:
            continue
        for path in sorted(glob.glob(os.path.join(directory, "auth.d", "*.json"))):
            try:
                with open(path) as handle:
                    entry = json.load(handle)
            except (OSError, ValueError):
                continue
            if entry.get("rktKind") == "dockerAuth" and host in (entry.get("registries") or []):
                credentials = entry.get("credentials") or {}
                found = (credentials.get("user"), credentials.get("password"))
    return found


def _record(reference, config, manifest_digest, layers):
    labels = [{"name": "arch", "value": "amd64"}, {"name": "os", "value": "linux"}]
    if reference.tag is not None:
        labels.append({"name": "version", "value": reference.tag})
    app = {
        "exec": list(config["exec"]),
        "user": str(config.get("user", "0")),
        "group": str(config.get("group", "0")),
    }
    if config.get("workingDirectory"):
        app["workingDirectory"] = config["workingDirectory"]
    environment = [dict(zip(("name", "value"), entry.split("=", 1))) for entry in config.get("env") or []]
    if environment:
        app["environment"] = environment
    annotations = [
        {"name": "created", "value": config.get("created", DEFAULT_CREATED)},
        {"name": "appc.io/docker/originalname", "value": reference.original},
        {"name": "appc.io/docker/registryurl", "value": reference.host},
        {"name": "appc.io/docker/repository", "value": reference.repo},
        {"name": "appc.io/docker/imageid", "value": config.get("imageId") or layers[-1]["digest"]},
        {"name": "appc.io/docker/manifesthash", "value": manifest_digest},
        {"name": "appc.io/docker/cmd", "value": gofmt.json_compact(config["exec"])},
    ]
    return images.new_record(
        reference.store_name,
        labels,
        app,
        annotations,
        int(config.get("size", DEFAULT_CONFIG["size"])),
        latest=reference.tag == "latest",
        users=config.get("users"),
        groups=config.get("groups"),
    )


def _sha256(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _decimal_bytes(size):
    """Format like rkt's download progress ("1.09 MB"): three significant digits, powers of 1000."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000:
            return "%s %s" % (("%.3g" % value), unit)
        value /= 1000
    return "%s PB" % ("%.3g" % value)
