"""The image store (fake-rkt/images/<id>.json) and the `rkt image` commands."""

import hashlib
import os
import re

from . import gofmt, state

STORE_MISS = (
    "either image was not found in the store or store was disabled and fetching "
    "from remote yielded nothing or it was disabled"
)

# The stage1 image that the first sandbox imports into the store, with the
# name and size recorded from rkt 1.30.0's host flavor.
STAGE1_NAME = "coreos.com/rkt/stage1-host"
STAGE1_VERSION = "1.30.0"
STAGE1_SIZE = 166657548

DEFAULT_USERS = {"root": 0}
DEFAULT_GROUPS = {"root": 0}


class Store:
    def __init__(self, ctx):
        self.ctx = ctx
        self.dir = ctx.fake_dir("images")

    def all(self):
        """Every image, oldest import first (the order of `rkt image list`)."""
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return []
        records = [state.read_json(os.path.join(self.dir, name)) for name in names if name.endswith(".json")]
        return sorted((r for r in records if r), key=lambda record: record["import_ns"])

    def get(self, image_id):
        return state.read_json(os.path.join(self.dir, image_id + ".json"))

    def save(self, record):
        os.makedirs(self.dir, exist_ok=True)
        state.write_json(os.path.join(self.dir, record["id"] + ".json"), record)

    def remove(self, image_id):
        os.unlink(os.path.join(self.dir, image_id + ".json"))

    def resolve_id(self, text):
        """Resolve a full or shortened sha512- ID; raises LookupError with rkt's message."""
        matches = [record for record in self.all() if record["id"].startswith(text)]
        if not matches:
            raise LookupError("no image IDs found")
        if len(matches) > 1:
            # NOTE: rkt's message for an ambiguous image ID prefix was not recorded.
            raise LookupError('ambiguous image ID: "%s"' % text)
        return matches[0]

    def find_by_name(self, name, version):
        """Pick the image rkt's store would: matching name and version label, else the
        images fetched as "latest" first, then the newest import."""
        candidates = [
            record
            for record in self.all()
            if record["name"] == name and (version is None or image_version(record) == version)
        ]
        if version is None and any(record.get("latest") for record in candidates):
            candidates = [record for record in candidates if record.get("latest")]
        return candidates[-1] if candidates else None


def image_version(record):
    for label in record["labels"]:
        if label["name"] == "version":
            return label["value"]
    return None


def display_name(record):
    version = image_version(record)
    return record["name"] + (":" + version if version else "")


def manifest(record):
    """The appc ImageManifest of an image, in rkt's key order."""
    obj = {
        "acKind": "ImageManifest",
        "acVersion": "0.8.11",
        "name": record["name"],
        "labels": record["labels"],
    }
    if record.get("app"):
        obj["app"] = record["app"]
    if record.get("annotations"):
        obj["annotations"] = record["annotations"]
    return obj


def new_record(name, labels, app, annotations, size, latest=False, users=None, groups=None):
    """Build a store record; its ID is a hash of the manifest, so every tag or digest gets its own ID."""
    record = {"name": name, "labels": labels, "app": app, "annotations": annotations}
    digest = hashlib.sha512(gofmt.json_compact(manifest(record)).encode()).hexdigest()
    now = state.now_ns()
    record.update(
        {
            "id": "sha512-" + digest[:64],
            "size": size,
            "latest": latest,
            "users": users if users is not None else dict(DEFAULT_USERS),
            "groups": groups if groups is not None else dict(DEFAULT_GROUPS),
            "import_ns": now,
            "last_used_ns": now,
        }
    )
    return record


def import_stage1(ctx):
    """Add the stage1 image to the store the first time a sandbox needs it."""
    store = Store(ctx)
    with ctx.lock("store"):
        if store.find_by_name(STAGE1_NAME, STAGE1_VERSION) is None:
            labels = [
                {"name": "version", "value": STAGE1_VERSION},
                {"name": "arch", "value": "amd64"},
                {"name": "os", "value": "linux"},
            ]
            store.save(new_record(STAGE1_NAME, labels, None, [], STAGE1_SIZE))


def parse_app_string(text):
    """Split "name[:version]"; raises ValueError for more than one colon, like rkt."""
    if text.count(":") > 1:
        raise ValueError("malformed app string - colon may appear at most once")
    name, _, version = text.partition(":")
    return name, (version or None)


_FIRST_SEGMENT_COLON = re.compile(r"^[^/]*:")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def find_for_app(ctx, text):
    """Find the image of `rkt app add` (pull policy never); raises LookupError with rkt's message."""
    store = Store(ctx)
    if text.startswith("sha512-"):
        return store.resolve_id(text)
    if "://" in text:
        # NOTE: adding an app by image URL was not recorded; the store-miss wording of fetch is reused.
        raise LookupError('unable to fetch image from URL "%s": %s' % (text, STORE_MISS))
    if _FIRST_SEGMENT_COLON.match(text) and not _URL_SCHEME.match(text):
        # Go's url.Parse rejects a colon before the first slash unless it ends a scheme.
        raise LookupError('parse "%s": first path segment in URL cannot contain colon' % text)
    name, version = parse_app_string(text)
    record = store.find_by_name(name, version)
    if record is None:
        raise LookupError('unable to fetch image from image name "%s": %s' % (text, STORE_MISS))
    return record


def running_image_ids(ctx):
    from . import pods

    ids = set()
    for uuid, path, kind in state.list_pod_dirs(ctx):
        pod = pods.Pod(ctx, uuid, path, kind)
        if pod.status() == "running":
            ids.update(app.data["image_id"] for app in pod.apps())
    return ids


def cmd_list(ctx, values, positionals):
    records = Store(ctx).all()
    if values["format"] in ("json", "json-pretty"):
        entries = [
            {
                "id": record["id"],
                "name": display_name(record),
                "import_time": record["import_ns"],
                "last_used_time": record["last_used_ns"],
                "size": record["size"],
            }
            for record in records
        ]
        # NOTE: an empty image list was not recorded; null mirrors `rkt list --format=json`.
        value = entries or None
        ctx.out((gofmt.json_indent(value) if values["format"] == "json-pretty" else gofmt.json_compact(value)) + "\n")
        return 0
    rows = [] if values["no-legend"] else ["ID\tNAME\tSIZE\tIMPORT TIME\tLAST USED"]
    for record in records:
        image_id = record["id"] if values["full"] else record["id"][:19]
        rows.append(
            "\t".join(
                [
                    image_id,
                    display_name(record),
                    gofmt.ibytes(record["size"]),
                    gofmt.humanize_age(record["import_ns"]),
                    gofmt.humanize_age(record["last_used_ns"]),
                ]
            )
        )
    ctx.out(gofmt.tabwrite("".join(row + "\n" for row in rows)))
    return 0


def _lookup(store, text):
    if text.startswith("sha512-"):
        return store.resolve_id(text)
    name, version = parse_app_string(text)
    record = store.find_by_name(name, version)
    if record is None:
        labels = '[{"version" "%s"}]' % version if version else "[]"
        raise LookupError('cannot find aci satisfying name: "%s" and labels: %s in the local store' % (name, labels))
    return record


def cmd_cat_manifest(ctx, values, positionals):
    if len(positionals) != 1:
        ctx.err("must provide the image ID or name")
        return 254
    try:
        record = _lookup(Store(ctx), positionals[0])
    except (LookupError, ValueError) as error:
        # NOTE: cat-manifest failures were not recorded; the wrapping text is a guess.
        ctx.err("unable to get image manifest: %s" % error)
        return 254
    body = manifest(record)
    ctx.out((gofmt.json_indent(body) if values["pretty-print"] else gofmt.json_compact(body)) + "\n")
    return 0


def cmd_rm(ctx, values, positionals):
    """Remove images by ID or name; always exits 0, as rkt 1.30.0 does."""
    store = Store(ctx)
    removed = 0
    with ctx.lock("store"):
        for text in positionals:
            try:
                record = _lookup(store, text)
            except (LookupError, ValueError) as error:
                ctx.err(str(error))
                continue
            store.remove(record["id"])
            ctx.out('successfully removed aci for image: "%s"\n' % record["id"])
            removed += 1
    if removed:
        ctx.err("%d image(s) successfully removed" % removed)
    return 0


def cmd_gc(ctx, values, positionals):
    """Remove images unused for longer than --grace-period and not used by a running pod's app."""
    store = Store(ctx)
    in_use = running_image_ids(ctx)
    deadline = state.now_ns() - values["grace-period"]
    removed = 0
    with ctx.lock("store"):
        for record in sorted(store.all(), key=lambda r: r["last_used_ns"]):
            if record["last_used_ns"] >= deadline or record["id"] in in_use:
                continue
            store.remove(record["id"])
            ctx.out('successfully removed aci for image: "%s"\n' % record["id"])
            removed += 1
    # NOTE: the "removed treestore" lines that rkt prints before these are not reproduced.
    if removed:
        ctx.err("%d image(s) successfully removed" % removed)
    return 0
