#!/usr/bin/env bash
# Pressure reaction: time from the start of a CPU hog under a tight quota (10% of one CPU) to the
# quota change, event-driven (PsiScheduler: a PSI trigger on the cgroup's cpu.pressure, epoll) vs
# polling cpu.stat every 10 ms; and the CPU each monitor costs while its cgroup is idle.
# See ci/benchmarks/README.md ("Pressure reaction (PSI vs polling)").
#
# Usage (as root: containers need cgroups and namespaces; from anywhere in the repository):
#   ci/benchmarks/psi.sh
#   RUNS=20 IDLE_SECONDS=60 ci/benchmarks/psi.sh
#
# Settings (environment):
#   RUNS=10          timed runs per variant (alternating PSI and polling)
#   IDLE_SECONDS=20  how long both monitors watch an idle container for the CPU-cost figure
#   POLL_MS=10       the poller's interval
#   SKIP_BUILD=0     1: use runtime/target/classes as it is instead of building the runtime
#   JAVA_OPTS=       extra JVM options for the harness
set -euo pipefail

RUNS=${RUNS:-10}
IDLE_SECONDS=${IDLE_SECONDS:-20}
POLL_MS=${POLL_MS:-10}
SKIP_BUILD=${SKIP_BUILD:-0}
JAVA_OPTS=${JAVA_OPTS:-}
INVOCATION="RUNS=$RUNS IDLE_SECONDS=$IDLE_SECONDS POLL_MS=$POLL_MS SKIP_BUILD=$SKIP_BUILD $0${*:+ $*}"

log() { printf '[psi] %s\n' "$*" >&2; }
die() { printf '[psi] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: containers need cgroups and namespaces"
for v in RUNS IDLE_SECONDS POLL_MS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || die "$v must be a positive number (got ${!v})"
done
[ -e /proc/pressure/cpu ] || die "this kernel reports no PSI (/proc/pressure/cpu is missing)"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[ -f "$REPO/runtime/pom.xml" ] || die "cannot find runtime/pom.xml above $HERE"
command -v javac >/dev/null || die "javac is missing (a JDK 17 is needed)"
command -v mvn >/dev/null || die "mvn is missing"

TMP=$(mktemp -d /tmp/alice-psi.XXXXXX)
PREFIX="psibench-$$-"
trap 'rc=$?; rm -rf "$TMP"; exit $rc' EXIT
trap 'exit 130' INT TERM

cd "$REPO"
CLASSES=$REPO/runtime/target/classes
if [ "$SKIP_BUILD" = 1 ] && [ -d "$CLASSES/io/alicecontainer/psi" ]; then
    BUILD_NOTE="runtime/target/classes as found (SKIP_BUILD=1)"
else
    log "building the runtime: mvn -q -DskipTests -pl runtime package"
    timeout 300 mvn -q -DskipTests -pl runtime package >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log" >&2; die "the runtime does not build"; }
    BUILD_NOTE="built with mvn -q -DskipTests -pl runtime package"
fi
timeout 300 mvn -q -pl runtime dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$TMP/cp.txt" >"$TMP/cp.log" 2>&1 \
    || { cat "$TMP/cp.log" >&2; die "mvn dependency:build-classpath failed"; }
# A snapshot: other builds in the same work tree must not change the classes under the harness.
cp -a "$CLASSES" "$TMP/runtime-classes"
CP="$TMP/runtime-classes:$(cat "$TMP/cp.txt")"
mkdir -p "$TMP/classes"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/psi/PsiReaction.java"

capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
if (( (16#$capeff >> 24) & 1 )); then cap="has CAP_SYS_RESOURCE"; else cap="lacks CAP_SYS_RESOURCE (CapEff $capeff)"; fi
echo "# Pressure reaction, PSI vs polling ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
echo "runtime:  $BUILD_NOTE (commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$REPO" diff --quiet HEAD -- runtime 2>/dev/null || echo ', runtime/ has uncommitted changes'))"
echo "machine:  nproc=$(nproc), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:     $(java -version 2>&1 | head -1)"
echo "cgroups:  $(stat -fc %T /sys/fs/cgroup)$( [ -e /sys/fs/cgroup/unified/cgroup.controllers ] && echo " (hybrid: v1 controllers + cgroup2 at /sys/fs/cgroup/unified)")"
echo "process:  $cap"
echo

java $JAVA_OPTS -Druns="$RUNS" -Didle.seconds="$IDLE_SECONDS" -Dpoll.ms="$POLL_MS" -Dprefix="$PREFIX" -cp "$TMP/classes:$CP" PsiReaction

left=$(find /sys/fs/cgroup -type d -name "${PREFIX}*" 2>/dev/null || true)
echo
if [ -n "$left" ]; then
    echo "LEFTOVER cgroups of this run:"; echo "$left"
    die "the benchmark left cgroups behind"
fi
echo "cgroups: none of this run's left"
