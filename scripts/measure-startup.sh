#!/bin/bash
# Measures how long rktlet takes from launch until a CRI Version call on its socket succeeds,
# with and without the AppCDS archive, and prints the medians and their ratio.
#
#   scripts/measure-startup.sh [RUNS]
#
# It unpacks the distribution archive that "mvn -B install" builds in dist/target into a
# temporary directory and starts bin/rktlet from there RUNS times (default 10) in each mode,
# against the rkt test double, with a fresh state directory each time. Without the archive, the
# runtime's own CDS archive of JDK classes still applies. RKTLET_JAVA_OPTS passes extra JVM
# options to every run. JAVA selects the JDK that runs the probe (default: java on the PATH);
# it needs a compiler, because the probe runs from source.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
java=${JAVA:-java}
fake_rkt="$root/rktlet/src/test/fake-rkt/rkt"

shopt -s nullglob
archives=("$root"/dist/target/rktlet-*-linux-amd64.tar.gz)
if [ ${#archives[@]} -ne 1 ]; then
  echo "measure-startup: found no single dist/target/rktlet-*-linux-amd64.tar.gz;" \
    "run mvn -B install first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar --extract --gzip --file "${archives[0]}" --directory "$work"
home=$(echo "$work"/rktlet-*)

# Prints the probe's lines on stderr and "WALL_MS CPU_MS" medians on stdout.
medians() {
  local output
  output=$("$java" -cp "$home/lib/rktlet.jar" "$root/dist/tools/StartupProbe.java" \
    --runs="$runs" -- "$home/bin/rktlet" \
    --config={dir}/rktlet.toml --socket={dir}/rktlet.sock --state-dir={dir}/state \
    --rkt="$fake_rkt" --rkt-dir={dir}/rkt --sandbox-launcher=detached --manage-mounts=false)
  echo "$output" >&2
  echo "$(echo "$output" | sed -n 's/^median_ms=//p') $(echo "$output" |
    sed -n 's/^median_cpu_ms=//p')"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "with the AppCDS archive:" >&2
read -r with with_cpu < <(medians)
mv "$home/lib/rktlet.jsa" "$home/lib/rktlet.jsa.off"
echo "without the AppCDS archive:" >&2
read -r without without_cpu < <(medians)
if [ -z "$with_cpu" ] || [ -z "$without_cpu" ]; then
  echo "measure-startup: a probe run failed; its output is above" >&2
  exit 1
fi

echo "host: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "runtime: $("$home/runtime/bin/java" -version 2>&1 | head -1)"
echo "JVM options: ${RKTLET_JAVA_OPTS:-(none)}"
echo "runs per mode: $runs, from launch to the first successful Version call, rkt test double"
echo "load average before the runs: $load"
echo "median without AppCDS archive: $without ms ($without_cpu ms of CPU)"
echo "median with AppCDS archive:    $with ms ($with_cpu ms of CPU)"
awk -v a="$without" -v b="$with" -v ac="$without_cpu" -v bc="$with_cpu" \
  'BEGIN { printf "ratio without/with: %.2f (CPU time: %.2f)\n", a / b, ac / bc }'
