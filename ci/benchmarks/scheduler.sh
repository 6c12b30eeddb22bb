#!/usr/bin/env bash
# A latency-sensitive loop (a request due every 5 ms, 2 ms of CPU each) in an ALICE container under
# a static 20% quota, under the DynamicScheduler (lowLatency preset; defaults too, for comparison)
# and with no quota: p50/p99 latency and CPU used, side by side. See ci/benchmarks/README.md,
# "Dynamic CPU scheduling".
#
# Usage (as root, from anywhere in the repository):
#   ci/benchmarks/scheduler.sh
#   DURATION=60 ROUNDS=2 ci/benchmarks/scheduler.sh
#
# Settings (environment):
#   DURATION=20      seconds per variant and round
#   ROUNDS=1         run the variants this many times, in order (rows pool the rounds)
#   VARIANTS=static,lowLatency,defaults,unlimited
#   INTERVAL_US=5000 WORK_US=2000 STATIC_PERCENT=20
#   SKIP_BUILD=0     1: use runtime/target/classes as it is
#   JAVA_OPTS=       extra JVM options for the harness
set -euo pipefail

DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-1}
VARIANTS=${VARIANTS:-static,lowLatency,defaults,unlimited}
INTERVAL_US=${INTERVAL_US:-5000}
WORK_US=${WORK_US:-2000}
STATIC_PERCENT=${STATIC_PERCENT:-20}
SKIP_BUILD=${SKIP_BUILD:-0}
JAVA_OPTS=${JAVA_OPTS:-}

INVOCATION="DURATION=$DURATION ROUNDS=$ROUNDS VARIANTS=$VARIANTS INTERVAL_US=$INTERVAL_US WORK_US=$WORK_US STATIC_PERCENT=$STATIC_PERCENT SKIP_BUILD=$SKIP_BUILD $0${*:+ $*}"

log() { printf '[scheduler] %s\n' "$*" >&2; }
die() { printf '[scheduler] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: containers need CAP_SYS_ADMIN and cgroup write access"
for v in DURATION ROUNDS INTERVAL_US WORK_US STATIC_PERCENT; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number (got ${!v})"
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SRC=$HERE/scheduler
[ -f "$REPO/runtime/pom.xml" ] || die "cannot find runtime/pom.xml above $HERE"

missing=()
command -v cc >/dev/null || missing+=(gcc libc6-dev)
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
fi

TMP=$(mktemp -d /tmp/alice-scheduler.XXXXXX)
PREFIX="schedbench-$$-"
cleanup() {
    local rc=$?
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$REPO"
CLASSES=$REPO/runtime/target/classes
if [ "$SKIP_BUILD" = 1 ] && [ -d "$CLASSES/io/alicecontainer/scheduler" ]; then
    log "SKIP_BUILD=1: using $CLASSES as it is"
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
[ -d "$TMP/runtime-classes/io/alicecontainer/scheduler" ] || die "runtime/target/classes has no io/alicecontainer/scheduler: was it built?"
CP="$TMP/runtime-classes:$(cat "$TMP/cp.txt")"

mkdir -p "$TMP/classes" "$TMP/bin"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$SRC/SchedulerBench.java"
cc -O2 -Wall -o "$TMP/bin/latency_loop" "$SRC/latency_loop.c"

echo "# Dynamic CPU scheduling: a latency-sensitive loop under a static quota, the DynamicScheduler and no quota ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
echo "runtime:  $BUILD_NOTE (commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$REPO" diff --quiet HEAD -- runtime 2>/dev/null || echo ', runtime/ has uncommitted changes'))"
echo "machine:  nproc=$(nproc), kernel $(uname -r), CONFIG_HZ=$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) | sed -n 's/^CONFIG_HZ=//p' | head -1), $(. /etc/os-release && echo "$PRETTY_NAME"), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:     $(java -version 2>&1 | head -1)"
echo "cgroups:  $(stat -fc %T /sys/fs/cgroup)$( [ -e /sys/fs/cgroup/unified/cgroup.controllers ] && echo " (hybrid: quota in v1 cpu.cfs_quota_us, usage from the cgroup2 tree's cpu.stat)")"
echo

java $JAVA_OPTS -Dloop="$TMP/bin/latency_loop" -Dduration.s="$DURATION" -Drounds="$ROUNDS" -Dvariants="$VARIANTS" \
    -Dinterval.us="$INTERVAL_US" -Dwork.us="$WORK_US" -Dstatic.percent="$STATIC_PERCENT" -Dprefix="$PREFIX" \
    -cp "$TMP/classes:$CP" SchedulerBench

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
left=$(find /sys/fs/cgroup -type d -name "*${PREFIX}*" 2>/dev/null || true)
if [ -n "$left" ]; then
    echo "LEFTOVER cgroups of this run:"; echo "$left"
    die "the benchmark left cgroups behind"
fi
echo "cgroups: none of this run's left"
