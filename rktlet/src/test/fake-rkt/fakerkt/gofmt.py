"""Output formats that rkt inherits from Go and its libraries.

rkt prints JSON with encoding/json, tables with text/tabwriter, times with
time.Time.Format and ages and sizes with go-humanize. The functions here
reproduce those formats, so the double's output matches the recorded output
byte for byte.
"""

import json
import math
import re
import time

NANOS_PER_SECOND = 1_000_000_000


def json_compact(value):
    """Serialize like Go's json.Marshal: no spaces, HTML characters escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _escape_like_go(text)


def json_indent(value):
    """Serialize like Go's json.MarshalIndent(value, "", "\\t")."""
    text = json.dumps(value, ensure_ascii=False, indent="\t", separators=(",", ": "))
    return _escape_like_go(text)


def _escape_like_go(text):
    # These characters only occur inside JSON strings, so replacing them in
    # the serialized text changes string contents only.
    replacements = {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
    for char, escaped in replacements.items():
        text = text.replace(char, escaped)
    return text


def tabwrite(text):
    """Align tab-separated cells like Go's tabwriter.NewWriter(out, 0, 8, 1, '\\t', 0).

    Every cell that ends with a tab is padded with tabs to the width of the
    widest cell of its column block plus one, rounded up to a multiple of 8.
    The last cell of a line is never padded unless the line is shorter than
    the enclosing column block, as in Go.
    """
    lines = [line.split("\t") for line in text.split("\n")]
    widths = []
    out = []

    def write_lines(first, end):
        for index in range(first, end):
            cells = lines[index]
            for column, cell in enumerate(cells):
                out.append(cell)
                if column < len(widths):
                    out.append(_tab_padding(len(cell), widths[column]))
            if index + 1 < len(lines):
                out.append("\n")

    def format_block(first, end):
        column = len(widths)
        current = first
        while current < end:
            if column >= len(lines[current]) - 1:
                current += 1
                continue
            write_lines(first, current)
            first = current
            width = 0
            while current < end and column < len(lines[current]) - 1:
                width = max(width, len(lines[current][column]) + 1)
                current += 1
            widths.append(width)
            format_block(first, current)
            widths.pop()
            first = current
        write_lines(first, end)

    format_block(0, len(lines))
    return "".join(out)


def _tab_padding(text_width, cell_width):
    cell_width = (cell_width + 7) // 8 * 8
    return "\t" * ((cell_width - text_width + 7) // 8)


def ibytes(size):
    """Format a byte count like humanize.IBytes, without the space ("3.9MiB")."""
    if size < 10:
        return "%dB" % size
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    exponent = int(math.floor(math.log(size) / math.log(1024)))
    value = math.floor(size / (1024 ** exponent) * 10 + 0.5) / 10
    pattern = "%.1f%s" if value < 10 else "%.0f%s"
    return pattern % (value, units[exponent])


_DAY = 24 * 3600
_MONTH = 30 * _DAY
_YEAR = 12 * _MONTH
# (upper bound in seconds, format, divisor) as in go-humanize's RelTime table.
_MAGNITUDES = [
    (1, "now", 1),
    (2, "1 second %s", 0),
    (60, "%d seconds %s", 1),
    (120, "1 minute %s", 0),
    (3600, "%d minutes %s", 60),
    (7200, "1 hour %s", 0),
    (_DAY, "%d hours %s", 3600),
    (2 * _DAY, "1 day %s", 0),
    (7 * _DAY, "%d days %s", _DAY),
    (14 * _DAY, "1 week %s", 0),
    (_MONTH, "%d weeks %s", 7 * _DAY),
    (2 * _MONTH, "1 month %s", 0),
    (_YEAR, "%d months %s", _MONTH),
    (18 * _MONTH, "1 year %s", 0),
    (2 * _YEAR, "2 years %s", 0),
    (37 * _YEAR, "%d years %s", _YEAR),
]


def humanize_age(then_ns, now_ns=None):
    """Format an age like humanize.Time ("now", "3 seconds ago", "2 minutes ago")."""
    if now_ns is None:
        now_ns = time.time_ns()
    label = "ago"
    diff = (now_ns - then_ns) / NANOS_PER_SECOND
    if diff < 0:
        label = "from now"
        diff = -diff
    for bound, pattern, divisor in _MAGNITUDES:
        if diff < bound:
            if pattern == "now":
                return "now"
            if divisor == 0:
                return pattern % label
            return pattern % (int(diff // divisor), label)
    return "a long while %s" % label


def go_time(ns, fraction_digits):
    """Format Unix nanoseconds in local time like Go's "2006-01-02 15:04:05.999 -0700 MST".

    fraction_digits is the number of 9s in the layout. As in Go, trailing zeros
    of the fraction are dropped, and a zero fraction drops the dot too.
    """
    seconds, nanos = divmod(ns, NANOS_PER_SECOND)
    local = time.localtime(seconds)
    text = time.strftime("%Y-%m-%d %H:%M:%S", local)
    fraction = ("%09d" % nanos)[:fraction_digits].rstrip("0")
    if fraction:
        text += "." + fraction
    offset = local.tm_gmtoff
    sign = "+" if offset >= 0 else "-"
    offset = abs(offset)
    zone = local.tm_zone or "UTC"
    return "%s %s%02d%02d %s" % (text, sign, offset // 3600, (offset % 3600) // 60, zone)


_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_NANOS = {
    "ns": 1,
    "us": 1000,
    "µs": 1000,
    "μs": 1000,
    "ms": 1_000_000,
    "s": NANOS_PER_SECOND,
    "m": 60 * NANOS_PER_SECOND,
    "h": 3600 * NANOS_PER_SECOND,
}


def parse_duration(text):
    """Parse a Go duration ("90s", "1m30s", "500ms", "0") into nanoseconds.

    Raises ValueError with Go's message, time: invalid duration "x".
    """
    error = ValueError('time: invalid duration "%s"' % text)
    body = text
    sign = 1
    if body[:1] in ("+", "-"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        raise error
    total = 0.0
    position = 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if not match or match.group(1) in ("", "."):
            raise error
        total += float(match.group(1)) * _UNIT_NANOS[match.group(2)]
        position = match.end()
    return sign * int(round(total))


def format_duration(ns):
    """Format nanoseconds like Go's time.Duration.String ("30m0s", "0s", "1.5s")."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < NANOS_PER_SECOND:
        for unit, size in (("ms", 1_000_000), ("µs", 1000), ("ns", 1)):
            if ns >= size:
                return sign + _trim_fraction(ns / size) + unit
    hours, rest = divmod(ns, 3600 * NANOS_PER_SECOND)
    minutes, rest = divmod(rest, 60 * NANOS_PER_SECOND)
    text = _trim_fraction(rest / NANOS_PER_SECOND) + "s"
    if hours or minutes:
        text = "%dm" % minutes + text
    if hours:
        text = "%dh" % hours + text
    return sign + text


def _trim_fraction(value):
    text = ("%.9f" % value).rstrip("0").rstrip(".")
    return text


def parse_bool(text):
    """Parse like Go's strconv.ParseBool; raises ValueError with Go's message."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError('strconv.ParseBool: parsing "%s": invalid syntax' % text)


def errno_text(error):
    """Return an OSError's text as Go prints syscall errors ("file name too long")."""
    return (error.strerror or str(error)).lower()
