"""Command-line flag parsing in the style of spf13/pflag, which rkt's cobra CLI uses.

Flags are long-only ("--name=value" or "--name value"); bool flags take an
optional "=value". Errors carry pflag's wording, for example
'unknown flag: --x' and 'invalid argument "v" for --f=v: reason'.
"""

from . import gofmt

STRING = "string"
BOOL = "bool"
LIST = "list"  # repeatable string flag, values collected in order
DURATION = "duration"


class FlagError(Exception):
    """A command line that pflag would reject; str() is pflag's message."""


class Flag:
    def __init__(self, name, kind=STRING, default=None, no_value=None, validate=None):
        self.name = name
        self.kind = kind
        self.default = default
        # Value used when the flag is given without "=value" (pflag's NoOptDefVal).
        self.no_value = no_value
        # Optional callable(value) raising ValueError with the reason for rejection.
        self.validate = validate


GLOBAL_FLAGS = [
    Flag("dir", default="/var/lib/rkt"),
    Flag("local-config", default="/etc/rkt"),
    Flag("system-config", default="/usr/lib/rkt"),
    Flag("user-config", default=""),
    Flag("insecure-options", default="none"),
    Flag("debug", BOOL, default=False),
    Flag("trust-keys-from-https", BOOL, default=False),
]


class ParseResult:
    def __init__(self):
        self.values = {}
        self.set_flags = set()
        self.positionals = []
        # True when parsing stopped at a literal "--" (cobra's ArgsLenAtDash).
        self.saw_dash = False


def parse(tokens, flags, interspersed=True, stop_at_dash=True):
    """Parse tokens against flags; returns a ParseResult.

    With interspersed=False parsing stops at the first positional argument and
    everything from there on is positional, as pflag's SetInterspersed(false).
    """
    by_name = {flag.name: flag for flag in flags}
    result = ParseResult()
    for flag in flags:
        result.values[flag.name] = [] if flag.kind == LIST else flag.default
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            result.saw_dash = True
            # With stop_at_dash the "--" itself is dropped, as cobra does; otherwise it is
            # kept for the caller (rkt's app-argument parser looks for it).
            result.positionals.extend(tokens[index - (0 if stop_at_dash else 1):])
            break
        if token.startswith("--") and len(token) > 2:
            index = _parse_long(token, tokens, index, by_name, result)
            continue
        if token.startswith("-") and len(token) > 1 and token != "-":
            raise FlagError("unknown shorthand flag: '%s' in %s" % (token[1], token))
        result.positionals.append(token)
        if not interspersed:
            result.positionals.extend(tokens[index:])
            break
    return result


def _parse_long(token, tokens, index, by_name, result):
    name, has_value, value = token[2:].partition("=")
    flag = by_name.get(name)
    if flag is None:
        raise FlagError("unknown flag: --%s" % name)
    if not has_value:
        if flag.kind == BOOL:
            value = "true"
        elif flag.no_value is not None:
            value = flag.no_value
        elif index < len(tokens):
            value = tokens[index]
            index += 1
        else:
            raise FlagError("flag needs an argument: --%s" % name)
    _store(flag, value, token, result)
    return index


def _store(flag, value, token, result):
    try:
        if flag.kind == BOOL:
            parsed = gofmt.parse_bool(value)
        elif flag.kind == DURATION:
            parsed = gofmt.parse_duration(value)
        else:
            parsed = value
        if flag.validate is not None:
            flag.validate(value)
    except ValueError as error:
        raise FlagError('invalid argument "%s" for %s: %s' % (value, token, error))
    result.set_flags.add(flag.name)
    if flag.kind == LIST:
        result.values[flag.name].append(parsed)
    else:
        result.values[flag.name] = parsed


def split_key_value(text):
    """Split "K=V" into (K, V); a missing "=" gives an empty value."""
    key, _, value = text.partition("=")
    return key, value

