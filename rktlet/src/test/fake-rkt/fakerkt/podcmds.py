"""The pod commands: `rkt status`, `list`, `stop`, `rm` and `gc`."""

import os
import signal
import time

from . import gofmt, network, pods, runner, state

WAIT_POLL_SECONDS = 0.02


def _uuid_args(ctx, values, positionals):
    """UUIDs from the arguments or from --uuid-file, as stop, rm and status accept them."""
    if values.get("uuid-file"):
        if positionals:
            raise state.CommandError("cannot use both --uuid-file and UUID arguments")
        try:
            with open(values["uuid-file"]) as handle:
                return [handle.read().strip()]
        except OSError as error:
            raise state.CommandError("unable to resolve UUID from file: %s" % gofmt.errno_text(error))
    return positionals


def _wait_flag(text):
    """rkt's --wait/--wait-ready value: a bool or a duration; returns ns, -1 for forever, 0 for no wait."""
    if text == "":
        return -1
    try:
        return -1 if gofmt.parse_bool(text) else 0
    except ValueError:
        return gofmt.parse_duration(text)


def cmd_status(ctx, values, positionals):
    uuids = _uuid_args(ctx, values, positionals)
    if len(uuids) != 1:
        ctx.err("usage: rkt status [--wait=bool|timeout] [--wait-ready=bool|timeout] UUID")
        return 254
    try:
        wait_finished = _wait_flag(values["wait"])
        wait_ready = _wait_flag(values["wait-ready"])
    except ValueError as error:
        raise state.CommandError(str(error))
    try:
        pod = pods.Pod.find(ctx, uuids[0])
    except LookupError as error:
        raise state.CommandError("problem retrieving pod: %s" % error)
    if wait_ready and not _wait_until(pod, wait_ready, lambda: pod.is_ready()):
        raise state.CommandError("error waiting for pod readiness: context deadline exceeded")
    if wait_finished and not _wait_until(pod, wait_finished, lambda: pod.is_after_run()):
        raise state.CommandError("error waiting for pod to finish: context deadline exceeded")
    _print_pod(ctx, pod, values["format"])
    return 0


def _wait_until(pod, timeout_ns, condition):
    deadline = None if timeout_ns < 0 else time.monotonic() + timeout_ns / gofmt.NANOS_PER_SECOND
    while True:
        pod.reload()
        if condition():
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(WAIT_POLL_SECONDS)


def _print_pod(ctx, pod, output_format):
    if output_format == "json":
        ctx.out(gofmt.json_compact(pod.to_json()) + "\n")
    elif output_format == "json-pretty":
        ctx.out(gofmt.json_indent(pod.to_json()) + "\n")
    else:
        ctx.out(pod.status_text())


def all_pods(ctx):
    return [pods.Pod(ctx, uuid, path, kind) for uuid, path, kind in state.list_pod_dirs(ctx)]


def cmd_list(ctx, values, positionals):
    pod_list = all_pods(ctx)
    if values["format"] in ("json", "json-pretty"):
        # rkt marshals a nil slice when there are no pods: the output is "null".
        value = [pod.to_json() for pod in pod_list] or None
        ctx.out((gofmt.json_indent(value) if values["format"] == "json-pretty" else gofmt.json_compact(value)) + "\n")
        return 0
    rows = [] if values["no-legend"] else ["UUID\tAPP\tIMAGE NAME\tSTATE\tCREATED\tSTARTED\tNETWORKS"]
    for pod in pod_list:
        rows.extend(_list_rows(pod, values["full"]))
    ctx.out(gofmt.tabwrite("".join(row + "\n" for row in rows)))
    return 0


def _list_rows(pod, full):
    uuid = pod.uuid if full else pod.uuid[:8]
    started = pod.state.get("started_ns")
    pod_columns = [
        pod.status(),
        gofmt.humanize_age(pod.state["created_ns"]),
        gofmt.humanize_age(started) if started is not None else "",
        network.format_networks(pod.state.get("networks") or []),
    ]
    apps = pod.apps()
    if not apps:
        return ["\t".join([uuid, "-", "-"] + pod_columns)]
    rows = []
    for index, app in enumerate(apps):
        image = app.data["image"]
        image_name = image["name"] + (":" + image["version"] if image.get("version") else "")
        if index == 0:
            rows.append("\t".join([uuid, app.name, image_name] + pod_columns))
        else:
            rows.append("\t".join(["", app.name, image_name, "", "", "", ""]))
    return rows


def cmd_stop(ctx, values, positionals):
    uuids = _uuid_args(ctx, values, positionals)
    if not uuids:
        ctx.err("usage: rkt stop --uuid-file=FILE | UUID ...")
        return 254
    failures = 0
    for text in uuids:
        try:
            pod = pods.Pod.find(ctx, text)
        except LookupError as error:
            ctx.err("cannot get pod: %s" % error)
            failures += 1
            continue
        if pod.is_after_run():
            ctx.out('pod "%s" is already stopped\n' % pod.uuid)
            continue
        if values["force"]:
            _force_stop(pod)
        else:
            try:
                os.kill(pod.state["pid"], signal.SIGTERM)
            except ProcessLookupError:
                pass
        ctx.out('"%s"\n' % pod.uuid)
    if failures:
        ctx.err("failed to stop %d pod(s)" % failures)
        return 254
    return 0


def _force_stop(pod):
    """Kill the pod at once: apps lose their runners first, so no exit code is recorded."""
    with pod.lock():
        pod.reload()
        pod.state["force_killed"] = True
        pod.state["exited_ns"] = state.now_ns()
        pod.save_state()
        for app in pod.apps():
            runner.kill_app_now(app)
        try:
            os.kill(pod.state["pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass


def cmd_rm(ctx, values, positionals):
    uuids = _uuid_args(ctx, values, positionals)
    if not uuids:
        ctx.err("usage: rkt rm --uuid-file=FILE | UUID ...")
        return 254
    failed = False
    for text in uuids:
        try:
            pod = pods.Pod.find(ctx, text)
        except LookupError as error:
            ctx.err("cannot get pod: %s" % error)
            failed = True
            continue
        if pod.status() == "running":
            ctx.err('pod "%s" is currently running' % pod.uuid)
            failed = True
            continue
        if _delete(ctx, pod):
            ctx.out('"%s"\n' % pod.uuid)
        else:
            failed = True
    if failed:
        ctx.err("failed to remove one or more pods")
        return 254
    return 0


def _delete(ctx, pod):
    try:
        _reap_leftovers(pod)
        pods.delete_pod(ctx, pod)
        return True
    except OSError as error:
        ctx.err('unable to remove pod "%s": %s' % (pod.uuid, gofmt.errno_text(error)))
        return False


def _reap_leftovers(pod):
    # A killed sandbox leaves no app processes in rkt; runners normally ensure that already.
    for app in pod.apps():
        if app.data.get("run"):
            runner.kill_app_now(app)


def cmd_gc(ctx, values, positionals):
    """Move exited pods to exited-garbage, then delete those older than --grace-period."""
    for pod in all_pods(ctx):
        if pod.kind == state.RUN_DIR and pod.status() == "exited":
            ctx.err('moving pod "%s" to garbage' % pod.uuid)
            with pod.lock():
                pod.reload()
                pod.state["gc_marked_ns"] = state.now_ns()
                pod.save_state()
                os.makedirs(ctx.pods_dir(state.EXITED_GARBAGE_DIR), exist_ok=True)
                os.rename(pod.path, os.path.join(ctx.pods_dir(state.EXITED_GARBAGE_DIR), pod.uuid))
    if values["mark-only"]:
        return 0
    grace = values["grace-period"]
    for pod in all_pods(ctx):
        if pod.kind != state.EXITED_GARBAGE_DIR:
            continue
        if state.now_ns() > pod.state.get("gc_marked_ns", 0) + grace:
            ctx.out('Garbage collecting pod "%s"\n' % pod.uuid)
            _delete(ctx, pod)
        else:
            ctx.err('pod "%s" not removed: still within grace period (%s)' % (pod.uuid, gofmt.format_duration(grace)))
    return 0
