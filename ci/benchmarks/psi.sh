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

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init psi
for v in RUNS IDLE_SECONDS POLL_MS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || die "$v must be a positive number (got ${!v})"
done
[ -e /proc/pressure/cpu ] || die "this kernel reports no PSI (/proc/pressure/cpu is missing)"
command -v javac >/dev/null || die "javac is missing (a JDK 17 is needed)"
command -v mvn >/dev/null || die "mvn is missing"
PREFIX="psibench-$$-"
bench_runtime_cp io/alicecontainer/psi
mkdir -p "$TMP/classes"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/psi/PsiReaction.java"

capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
if (( (16#$capeff >> 24) & 1 )); then cap="has CAP_SYS_RESOURCE"; else cap="lacks CAP_SYS_RESOURCE (CapEff $capeff)"; fi
echo "# Pressure reaction, PSI vs polling ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
echo "runtime:  $BUILD_NOTE"
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
