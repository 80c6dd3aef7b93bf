"""The `rkt app add|start|stop|rm|status|list` commands."""

import os
import urllib.parse

from . import cgroups, flags, gofmt, images, pods, runner, state
from .flags import Flag

START_LIMIT_BURST = 5
START_LIMIT_INTERVAL_NS = 10 * gofmt.NANOS_PER_SECOND
GROUP_WARNING = 'group "rkt" not found, will use default gid when rendering images'
K8S_LOG_MODE = "coreos.com/rkt/experiment/logmode"
K8S_LOG_PATH = "coreos.com/rkt/experiment/kubernetes-log-path"


def _stdio_validator(stream, modes):
    def validate(value):
        if value not in modes:
            raise ValueError('invalid %s mode "%s"' % (stream, value))

    return validate


def _validate_mnt_volume(value):
    parse_mnt_volume(value)


def parse_mnt_volume(value):
    """Parse --mnt-volume like rkt: "," becomes "&" and the result is a URL query."""
    pairs = urllib.parse.parse_qsl(value.replace(",", "&"), keep_blank_values=True)
    fields = dict(pairs)
    if "target" not in fields:
        raise ValueError("missing target= parameter")
    volume_keys = {"name", "kind", "source", "readOnly", "recursive", "mode", "uid", "gid"}
    raw_parts = [part for part in value.replace(",", "&").split("&") if part]
    volume_ok = (
        all("=" in part for part in raw_parts)
        and set(fields) - {"target"} <= volume_keys
        and fields.get("name")
        and fields.get("kind") in ("host", "empty")
        and (fields.get("kind") != "host" or fields.get("source", "").startswith("/"))
    )
    if not volume_ok:
        raise ValueError("error parsing volume component of MountVolume")
    return fields


def app_flags(attach_enabled):
    specs = [
        Flag("name"),
        Flag("exec"),
        Flag("working-dir"),
        Flag("environment", flags.LIST),
        Flag("user"),
        Flag("group"),
        Flag("supplementary-gids"),
        Flag("readonly-rootfs", flags.BOOL, default=False),
        Flag("caps-retain"),
        Flag("caps-remove"),
        Flag("seccomp"),
        Flag("memory"),
        Flag("cpu"),
        Flag("cpu-shares"),
        Flag("oom-score-adj"),
        Flag("mnt-volume", flags.LIST, validate=_validate_mnt_volume),
        Flag("mount", flags.LIST),
        Flag("annotation", flags.LIST),
        Flag("user-annotation", flags.LIST),
        Flag("user-label", flags.LIST),
    ]
    if attach_enabled:
        specs += [
            Flag("stdin", validate=_stdio_validator("stdin", ("null", "stream", "tty"))),
            Flag("stdout", validate=_stdio_validator("stdout", ("null", "stream", "tty", "log"))),
            Flag("stderr", validate=_stdio_validator("stderr", ("null", "stream", "tty", "log"))),
        ]
    return specs + flags.GLOBAL_FLAGS


def parse_apps(tokens, attach_enabled):
    """Parse "IMAGE [flags] [-- ARGS... [---]] [IMAGE ...]" into app descriptions."""
    apps = []
    rest = list(tokens)
    while rest:
        image = rest.pop(0)
        result = flags.parse(rest, app_flags(attach_enabled), interspersed=False, stop_at_dash=False)
        rest = result.positionals
        args = None
        if rest and rest[0] == "--":
            rest = rest[1:]
            end = rest.index("---") if "---" in rest else len(rest)
            args, rest = rest[:end], rest[end + 1:]
        apps.append(_app_config(image, result.values, args))
    return apps


def _key_values(items):
    return dict(flags.split_key_value(item) for item in items)


def _app_config(image, values, args):
    return {
        "image": image,
        "name": values["name"] or "",
        "exec": values["exec"],
        "args": args,
        "working_dir": values["working-dir"],
        "environment": [list(flags.split_key_value(item)) for item in values["environment"]],
        "user": values["user"],
        "group": values["group"],
        "supplementary_gids": [g for g in (values["supplementary-gids"] or "").split(",") if g],
        "readonly_rootfs": values["readonly-rootfs"],
        "caps_retain": values["caps-retain"],
        "caps_remove": values["caps-remove"],
        "seccomp": values["seccomp"],
        "memory": values["memory"],
        "cpu": values["cpu"],
        "cpu_shares": values["cpu-shares"],
        "oom_score_adj": values["oom-score-adj"],
        "mnt_volumes": [parse_mnt_volume(value) for value in values["mnt-volume"]],
        "mounts": values["mount"],
        "annotations": _key_values(values["annotation"]),
        "user_annotations": _key_values(values["user-annotation"]),
        "user_labels": _key_values(values["user-label"]),
        "stdin": values.get("stdin"),
        "stdout": values.get("stdout"),
        "stderr": values.get("stderr"),
    }


def validate_acname(name):
    """Check an app name like appc's NewACName; raises ValueError with its message."""
    if not name:
        raise ValueError("ACName cannot be empty")
    if any(not (char.isdigit() or "a" <= char <= "z" or char == "-") for char in name):
        raise ValueError('ACName must contain only lower case alphanumeric characters plus "-"')
    if name.startswith("-") or name.endswith("-"):
        raise ValueError("ACName must start and end with only lower case alphanumeric characters")


def _name_from_image(image_name):
    base = image_name.rsplit("/", 1)[-1].lower()
    cleaned = "".join(char if char.isalnum() or char == "-" else "-" for char in base).strip("-")
    return cleaned or "app"


def _require_running_pod(ctx, text, not_ready="supervisor for pod \"%s\" is not yet ready"):
    try:
        pod = pods.Pod.find(ctx, text)
    except LookupError as error:
        raise state.CommandError("problem retrieving pod: %s" % error)
    if pod.status() != "running":
        raise state.CommandError('pod "%s" isn\'t currently running' % pod.uuid)
    if not pod.is_ready():
        raise state.CommandError(not_ready % pod.uuid)
    return pod


def cmd_add(ctx, values, positionals):
    if len(positionals) < 2:
        raise state.CommandError("must provide the pod UUID and an IMAGEID")
    try:
        configs = parse_apps(positionals[1:], ctx.attach_enabled)
    except flags.FlagError as error:
        raise state.CommandError("error parsing app image arguments: %s" % error)
    if len(configs) > 1:
        raise state.CommandError("must give only one app")
    config = configs[0]
    pod = _require_running_pod(ctx, positionals[0])
    try:
        image = images.find_for_app(ctx, config["image"])
    except (LookupError, ValueError) as error:
        raise state.CommandError("error finding images: %s" % error)
    ctx.err(GROUP_WARNING)
    with pod.lock():
        pod.reload()
        problem = _add_locked(pod, config, image)
    if problem:
        raise state.CommandError("error adding app to pod: %s" % problem)
    return 0


def _add_locked(pod, config, image):
    """Add the app under the pod lock; returns the error text of a failed add, or None."""
    name = config["name"] or _name_from_image(image["name"])
    try:
        validate_acname(name)
    except ValueError as error:
        return str(error)
    if pod.app(name) is not None:
        return "error: multiple apps with name %s" % name
    app_dir = os.path.join(pod.path, "appsinfo", name)
    try:
        os.makedirs(app_dir)
    except OSError as error:
        return "mkdir %s: %s" % (app_dir, gofmt.errno_text(error))

    seq = pod.state.get("next_app_seq", 0)
    pod.state["next_app_seq"] = seq + 1
    pod.save_state()
    image_app = image.get("app") or {}
    app = pods.App(pod, name)
    app.data = {
        "name": name,
        "seq": seq,
        "image_id": image["id"],
        "image": {
            "name": image["name"],
            "version": images.image_version(image),
            "app": image_app,
            "users": image.get("users"),
            "groups": image.get("groups"),
        },
        "config": config,
        "effective_user": config["user"] or image_app.get("user", "0"),
        "effective_group": config["group"] or image_app.get("group", "0"),
        "created_ns": state.now_ns(),
    }
    os.makedirs(app.rootfs(), exist_ok=True)

    reason = _half_added_reason(pod, app)
    if reason:
        # The real stage1 fails after the app is in the pod manifest: the app stays, "created".
        app.data["half_added"] = reason
    app.save()
    return "exit status 254" if reason else None


def _half_added_reason(pod, app):
    for key, table in (("effective_user", "users"), ("effective_group", "groups")):
        if runner.resolve_id(app.data[key], app.data["image"].get(table)) is None:
            return '"%s" %s not found in the image' % (app.data[key], key.split("_")[1])
    config = app.data["config"]
    if config["mnt_volumes"]:
        return "mount volumes need nspawn's incoming-mount directory, which nspawn 252 moved"
    streamed = "stream" in (config.get("stdin"), config.get("stdout"), config.get("stderr"))
    if pod.config.get("annotations", {}).get(K8S_LOG_MODE) == "k8s-plain" and streamed:
        if K8S_LOG_PATH not in config["annotations"]:
            return "k8s-plain log mode needs the %s annotation" % K8S_LOG_PATH
    return None


def _app_flag(values, action):
    if not values["app"]:
        raise state.CommandError("must provide the app to %s" % action)
    return values["app"]


def cmd_start(ctx, values, positionals):
    if not positionals:
        raise state.CommandError("must provide the pod UUID")
    name = _app_flag(values, "start")
    pod = _require_running_pod(ctx, positionals[0])
    try:
        validate_acname(name)
    except ValueError as error:
        raise state.CommandError("invalid app name: %s" % error)
    with pod.lock():
        pod.reload()
        app = pod.app(name)
        if app is None:
            raise state.CommandError('error starting app: error: nonexistent app "%s"' % name)
        failure = _start_locked(pod, app)
    if failure:
        raise state.CommandError("error starting app: exit status 254")
    runner.spawn(ctx, pod, app)
    return 0


def _start_locked(pod, app):
    """Mark the app started, as rkt does before calling stage1; returns True if stage1 fails."""
    data = app.data
    data["started_ns"] = state.now_ns()
    if not _start_limit_allows(pod):
        # NOTE: the exit code of an app whose start hit the limit was not recorded; 0 is assumed.
        data["finished_ns"] = data["started_ns"]
        data["exit_code"] = 0
        app.save()
        return True
    if app.is_running_process():
        # NOTE: recorded for an app whose earlier start had failed; a second start of a live app
        # is assumed to fail the same way.
        app.save()
        return True
    data.pop("finished_ns", None)
    data.pop("exit_code", None)
    data.pop("stop_by_pod", None)
    app.save()
    # A half-added app, or one whose writable layer a sibling's `app rm` destroyed, fails
    # in stage1 but keeps the started marker: rkt then reports it "running".
    return bool(data.get("half_added") or data.get("layer_destroyed"))


def _start_limit_allows(pod):
    """systemd's start limit of sysusers.service, which every app start needs: 5 in 10 s."""
    if os.environ.get("RKT_FAKE_START_LIMIT", "1") == "0":
        return True
    window = pod.state.get("start_limit") or {"begin_ns": 0, "count": 0}
    now = state.now_ns()
    if now - window["begin_ns"] > START_LIMIT_INTERVAL_NS:
        window = {"begin_ns": now, "count": 0}
    window["count"] += 1
    pod.state["start_limit"] = window
    pod.save_state()
    return window["count"] <= START_LIMIT_BURST


def cmd_stop(ctx, values, positionals):
    if not positionals:
        raise state.CommandError("must provide the pod UUID")
    name = _app_flag(values, "remove")
    try:
        validate_acname(name)
    except ValueError as error:
        raise state.CommandError("invalid app name: %s" % error)
    try:
        pod = pods.Pod.find(ctx, positionals[0])
    except LookupError as error:
        raise state.CommandError("problem retrieving pod: %s" % error)
    if pod.is_after_run():
        ctx.out('pod "%s" is already stopped\n' % pod.uuid)
        return 0
    if not pod.is_ready():
        raise state.CommandError('supervisor for pod "%s" is not yet ready' % pod.uuid)
    app = pod.app(name)
    if app is None:
        raise state.CommandError('error stopping app: error: nonexistent app "%s"' % name)
    runner.stop_app(app)
    return 0


def cmd_rm(ctx, values, positionals):
    if not positionals:
        raise state.CommandError("must provide the pod UUID")
    name = _app_flag(values, "remove")
    try:
        pod = pods.Pod.find(ctx, positionals[0])
    except LookupError as error:
        raise state.CommandError("problem retrieving pod: %s" % error)
    if pod.status() != "running":
        raise state.CommandError('pod "%s" is not running' % pod.uuid)
    if not pod.is_ready():
        raise state.CommandError('supervisor for pod "%s" is not ready yet' % pod.uuid)
    app = pod.app(name)
    if app is None:
        raise state.CommandError('error removing app: error: nonexistent app "%s"' % name)

    runner.stop_app(app)
    stage2 = os.path.dirname(app.rootfs())
    try:
        pods.unmount_below(stage2)
        pods.remove_tree(stage2)
    except OSError as error:
        # NOTE: with mounts that cannot be detached rkt's app rm fails too, but its text is a guess.
        raise state.CommandError("error removing app: %s" % gofmt.errno_text(error))
    with pod.lock():
        pod.reload()
        cgroups.remove_app_cgroup(pod.uuid, name)
        pods.remove_tree(app.dir)
        for sibling in pod.apps():
            # The recorded quirk: rkt deletes the writable layer of every app of the same image.
            if sibling.data["image_id"] == app.data["image_id"]:
                sibling.data["layer_destroyed"] = True
                sibling.save()
    return 0


def cmd_status(ctx, values, positionals):
    if len(positionals) != 1 or not values["app"]:
        ctx.err("usage: rkt app status UUID --app=APP_NAME [--format=json]")
        return 1
    try:
        pod = pods.Pod.find(ctx, positionals[0])
    except LookupError as error:
        ctx.err("error getting app status: %s" % error)
        return 1
    app = pod.app(values["app"])
    if app is None:
        ctx.err('cannot find app "%s" in the pod' % values["app"])
        return 1
    obj = app.status_json()
    if values["format"] == "json":
        ctx.out(gofmt.json_compact(obj) + "\n")
    elif values["format"] == "json-pretty":
        ctx.out(gofmt.json_indent(obj) + "\n")
    else:
        ctx.out(_status_text(obj))
    return 0


def _status_text(obj):
    lines = ["name=" + obj["name"], "state=" + obj["state"], "image_id=" + obj["image_id"]]
    for key in ("created_at", "started_at", "finished_at"):
        if key in obj:
            lines.append("%s=%s" % (key, gofmt.go_time(obj[key], 9)))
    if "exit_code" in obj:
        lines.append("exit_code=%d" % obj["exit_code"])
    for key in ("user_annotations", "user_labels"):
        if key in obj:
            lines.append("%s=%s" % (key, ",".join("%s:%s" % item for item in obj[key].items())))
    return "".join(line + "\n" for line in lines)


def cmd_list(ctx, values, positionals):
    if len(positionals) != 1:
        ctx.err("usage: rkt app list UUID")
        return 1
    try:
        pod = pods.Pod.find(ctx, positionals[0])
    except LookupError as error:
        ctx.err("error listing apps: %s" % error)
        return 1
    rows = [] if values["no-legend"] else ["NAME\tSTATE"]
    rows += ["%s\t%s" % (app.name, app.status_state()) for app in pod.apps()]
    ctx.out(gofmt.tabwrite("".join(row + "\n" for row in rows)))
    return 0
