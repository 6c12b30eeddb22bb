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

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init scheduler
for v in DURATION ROUNDS INTERVAL_US WORK_US STATIC_PERCENT; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number (got ${!v})"
done
SRC=$HERE/scheduler
bench_tools gcc:cc libc6-dev:dpkg openjdk-17-jdk-headless:javac maven:mvn
PREFIX="schedbench-$$-"
bench_runtime_cp io/alicecontainer/scheduler
mkdir -p "$TMP/classes" "$TMP/bin"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$SRC/SchedulerBench.java"
cc -O2 -Wall -o "$TMP/bin/latency_loop" "$SRC/latency_loop.c"

echo "# Dynamic CPU scheduling: a latency-sensitive loop under a static quota, the DynamicScheduler and no quota ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
echo "runtime:  $BUILD_NOTE"
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
