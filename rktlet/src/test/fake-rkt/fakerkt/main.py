"""Command dispatch: finds the subcommand, parses flags the way cobra does, logs the invocation."""

import os
import sys

from . import apps, enter, fetch, flags, gofmt, images, podcmds, runner, sandbox, state
from .flags import Flag

VERSION_TEXT = (
    "rkt Version: 1.30.0\n"
    "appc Version: 0.8.11\n"
    # NOTE: the Go version of the recorded build was not captured; go1.19.8 is a guess.
    "Go Version: go1.19.8\n"
    "Go OS/Arch: linux/amd64\n"
    "Features: -TPM -SDJOURNAL\n"
)
RUNNER_MODE = "--fake-rkt-runner"


def _format_flag():
    return Flag("format", default="")


class Command:
    def __init__(self, run, flag_specs=(), interspersed=True, experiment=None):
        self.run = run
        self.flags = list(flag_specs)
        self.interspersed = interspersed
        # RKT_EXPERIMENT_<NAME> variable that must be true for the command to exist.
        self.experiment = experiment


def cmd_version(ctx, values, positionals):
    ctx.out(VERSION_TEXT)
    return 0


def cmd_attach(ctx, values, positionals):
    # NOTE: attach is outside what the double reproduces; this error is the double's own.
    raise state.CommandError("the fake rkt does not implement attach")


COMMANDS = {
    ("version",): Command(cmd_version),
    ("status",): Command(podcmds.cmd_status, [
        _format_flag(), Flag("wait", default="false", no_value="true"),
        Flag("wait-ready", default="false", no_value="true"), Flag("uuid-file")]),
    ("list",): Command(podcmds.cmd_list, [
        _format_flag(), Flag("no-legend", flags.BOOL, default=False), Flag("full", flags.BOOL, default=False)]),
    ("stop",): Command(podcmds.cmd_stop, [Flag("force", flags.BOOL, default=False), Flag("uuid-file")]),
    ("rm",): Command(podcmds.cmd_rm, [Flag("uuid-file")]),
    ("gc",): Command(podcmds.cmd_gc, [
        Flag("grace-period", flags.DURATION, default=30 * 60 * gofmt.NANOS_PER_SECOND),
        Flag("expire-prepared", flags.DURATION, default=24 * 3600 * gofmt.NANOS_PER_SECOND),
        Flag("mark-only", flags.BOOL, default=False)]),
    ("enter",): Command(enter.cmd_enter, [Flag("app", default="")], interspersed=False),
    ("fetch",): Command(fetch.cmd_fetch, [
        Flag("full", flags.BOOL, default=False), Flag("pull-policy", default="update",
                                                       validate=lambda v: _one_of(v, ("new", "update", "never"))),
        Flag("no-store", flags.BOOL, default=False), Flag("store-only", flags.BOOL, default=False),
        Flag("signature", flags.LIST)]),
    ("attach",): Command(cmd_attach, [Flag("app", default=""), Flag("mode", default="auto")], experiment="ATTACH"),
    ("image", "list"): Command(images.cmd_list, [
        _format_flag(), Flag("full", flags.BOOL, default=False), Flag("no-legend", flags.BOOL, default=False),
        Flag("fields"), Flag("sort"), Flag("order")]),
    ("image", "cat-manifest"): Command(images.cmd_cat_manifest, [Flag("pretty-print", flags.BOOL, default=True)]),
    ("image", "rm"): Command(images.cmd_rm),
    ("image", "gc"): Command(images.cmd_gc, [
        Flag("grace-period", flags.DURATION, default=24 * 3600 * gofmt.NANOS_PER_SECOND)]),
    ("app", "sandbox"): Command(sandbox.cmd_sandbox, sandbox.SANDBOX_FLAGS, experiment="APP"),
    ("app", "add"): Command(apps.cmd_add, interspersed=False, experiment="APP"),
    ("app", "start"): Command(apps.cmd_start, [Flag("app", default="")], experiment="APP"),
    ("app", "stop"): Command(apps.cmd_stop, [Flag("app", default="")], experiment="APP"),
    ("app", "rm"): Command(apps.cmd_rm, [Flag("app", default="")], experiment="APP"),
    ("app", "status"): Command(apps.cmd_status, [Flag("app", default=""), _format_flag()], experiment="APP"),
    ("app", "list"): Command(apps.cmd_list, [Flag("no-legend", flags.BOOL, default=False)], experiment="APP"),
    ("app", "exec"): Command(enter.cmd_enter, [Flag("app", default="")], interspersed=False, experiment="APP"),
}
GROUPS = {"app": "APP", "image": None}


def _one_of(value, allowed):
    if value not in allowed:
        raise ValueError("must be one of %s" % ", ".join(allowed))


def experiment_enabled(name):
    try:
        return gofmt.parse_bool(os.environ.get("RKT_EXPERIMENT_" + name, ""))
    except ValueError:
        return False


def main(argv):
    if len(argv) > 1 and argv[1] == RUNNER_MODE:
        return runner.main(argv[2:])
    tokens = argv[1:]
    global_values = _scan_globals(tokens)
    ctx = state.Context(argv, global_values)
    ctx.logged = False
    ctx.attach_enabled = experiment_enabled("ATTACH")
    code = 254
    try:
        code = _dispatch(ctx, tokens)
    except state.CommandError as error:
        ctx.err(error.message)
        code = error.exit_code
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        if not ctx.logged:
            ctx.log_invocation(code)
    return code


def _scan_globals(tokens):
    """Read the global flags leniently, so that even a rejected command line is logged.

    The command's own parse replaces these values once it succeeds.
    """
    by_name = {flag.name: flag for flag in flags.GLOBAL_FLAGS}
    values = {flag.name: flag.default for flag in flags.GLOBAL_FLAGS}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            break
        name, has_value, value = token[2:].partition("=") if token.startswith("--") else ("", False, "")
        flag = by_name.get(name)
        if flag is None:
            continue
        if not has_value and flag.kind != flags.BOOL:
            if index >= len(tokens):
                break
            value = tokens[index]
            index += 1
        try:
            values[name] = gofmt.parse_bool(value or "true") if flag.kind == flags.BOOL else value
        except ValueError:
            pass
    return values


def _find_command(tokens):
    """Split the command path out of tokens like cobra's Find; returns (path, other tokens)."""
    global_by_name = {flag.name: flag for flag in flags.GLOBAL_FLAGS}
    path = []
    rest = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            rest.extend(tokens[index - 1:])
            break
        if token.startswith("-"):
            rest.append(token)
            flag = global_by_name.get(token[2:])
            if flag is not None and flag.kind != flags.BOOL and index < len(tokens):
                rest.append(tokens[index])
                index += 1
            continue
        if tuple(path) in COMMANDS:
            rest.append(token)
            rest.extend(tokens[index:])
            break
        path.append(token)
        if not (len(path) == 1 and token in GROUPS):
            rest.extend(tokens[index:])
            break
    return path, rest


def _dispatch(ctx, tokens):
    path, rest = _find_command(tokens)
    if not path:
        ctx.err("missing command")
        return 2
    group_experiment = GROUPS.get(path[0], "-") if len(path) >= 1 else None
    if path[0] in GROUPS and group_experiment and not experiment_enabled(group_experiment):
        return _unknown_command(path[0], "rkt")
    command = COMMANDS.get(tuple(path))
    if command is None:
        if path[0] in GROUPS and len(path) == 2:
            return _unknown_command(path[1], "rkt " + path[0])
        if path[0] in GROUPS:
            sys.stdout.write("Usage: rkt %s [command]\n" % path[0])
            return 0
        return _unknown_command(path[0], "rkt")
    if command.experiment and not experiment_enabled(command.experiment):
        return _unknown_command(path[-1], "rkt" if len(path) == 1 else "rkt " + path[0])
    ctx.prefix = path[-1]
    try:
        parsed = flags.parse(rest, command.flags + flags.GLOBAL_FLAGS, interspersed=command.interspersed)
    except flags.FlagError as error:
        # NOTE: cobra also prints the command's usage after this line; the double prints only the error.
        sys.stderr.write("Error: %s\n" % error)
        return 254
    ctx.apply_globals(parsed.values)
    return command.run(ctx, parsed.values, parsed.positionals)


def _unknown_command(name, parent):
    sys.stderr.write('Error: unknown command "%s" for "%s"\n' % (name, parent))
    sys.stderr.write("Run '%s --help' for usage.\n" % parent)
    return 254
