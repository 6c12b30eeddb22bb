#!/usr/bin/env bash
# Soak and fault suite, bounded in time (see README, "Security: what a container can and cannot do").
#   1. the runtime: CONTAINERS containers in a row from one JVM, PARALLEL at once, and faults (fork
#      bomb, busy loop past its timeout, OOM, gigabytes of output, /tmp filled, signals to PID 1);
#      the JVM's fds, threads, child processes, mounts and cgroups are counted before and after;
#   2. the extension: TESTS isolated tests in a row, PARALLEL_TESTS at once, a child JVM that runs
#      out of memory, one that writes garbage to or floods its result channel, a busy loop past
#      @Timeout (IsolationSoakTests), with the same counts (processes: every one below the JVM);
#   3. the parent JVM killed with SIGKILL in the middle of an isolated test: its child JVM dies
#      with it, and the next run sweeps the cgroups it left.
#
# Usage (as root, from anywhere in the repository):
#   ci/soak.sh                          # the full run: 10000 containers, 50 at once, 500 tests
#   CONTAINERS=500 TESTS=20 ci/soak.sh  # the fast subset
#   PARTS=2 TESTS=500 ci/soak.sh        # only the isolated tests (500 in a row: ~5 min on a quiet machine)
# Settings: CONTAINERS=10000 PARALLEL=50 TESTS=500 PARALLEL_TESTS=2*nproc LIMIT=5400 (seconds for
#   everything) PARTS=123 (which of the three parts run)
set -euo pipefail

CONTAINERS=${CONTAINERS:-10000}
PARALLEL=${PARALLEL:-50}
TESTS=${TESTS:-500}
PARALLEL_TESTS=${PARALLEL_TESTS:-$((2 * $(nproc)))}
LIMIT=${LIMIT:-5400}
PARTS=${PARTS:-123}
[[ "$PARTS" =~ ^[123]+$ ]] || { echo "[soak] ERROR: PARTS lists the parts to run, e.g. 123 or 2 (got $PARTS)" >&2; exit 1; }

log() { printf '[soak] %s\n' "$*" >&2; }
die() { printf '[soak] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
TMP=$(mktemp -d /tmp/alice-soak.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
START=$(date +%s)
left() { echo $((LIMIT - ($(date +%s) - START))); }

cd "$REPO"
log "building: mvn -q -DskipTests -pl runtime,extension -am package"
mvn -B -ntp -q -DskipTests -pl runtime,extension -am package >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log" >&2; die "build failed"; }
mvn -B -ntp -q -pl runtime dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$TMP/cp.txt" >"$TMP/cp.log" 2>&1 \
    || { cat "$TMP/cp.log" >&2; die "dependency:build-classpath failed"; }
cp -a runtime/target/classes "$TMP/runtime-classes"
CP="$TMP/runtime-classes:$(cat "$TMP/cp.txt")"
mkdir -p "$TMP/classes"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/soak/Soak.java"

echo "# ALICE soak ($(date -u '+%Y-%m-%d %H:%M UTC')): PARTS=$PARTS CONTAINERS=$CONTAINERS PARALLEL=$PARALLEL TESTS=$TESTS PARALLEL_TESTS=$PARALLEL_TESTS"
echo "machine: nproc=$(nproc), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ "$PARTS" == *1* ]]; then
    echo
    echo "## 1. runtime"
    timeout "$(left)" java -Dcontainers="$CONTAINERS" -Dparallel="$PARALLEL" -Dprefix="soak-$$-" -cp "$TMP/classes:$CP" Soak
fi

if [[ "$PARTS" == *2* ]]; then
    echo
    echo "## 2. extension: $TESTS isolated tests in a row, $PARALLEL_TESTS in parallel and the child's faults"
    ALICE_SOAK_TESTS="$TESTS" ALICE_SOAK_PARALLEL="$PARALLEL_TESTS" timeout "$(left)" mvn -B -ntp -q -pl runtime,extension verify \
        -Dtest='IsolationSoakTests' -Dsurefire.failIfNoSpecifiedTests=false >"$TMP/ext.log" 2>&1 \
        || { tail -80 "$TMP/ext.log"; die "IsolationSoakTests failed"; }
    grep '^\[soak\]' "$TMP/ext.log" || true
    grep -ho 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' extension/target/surefire-reports/TEST-*IsolationSoakTests.xml
fi

if [[ "$PARTS" == *3* ]]; then
    echo
    echo "## 3. the parent JVM SIGKILLed in the middle of an isolated test"
    "$HERE/soak/kill-parent.sh" "$TMP"
fi

echo
echo "soak: everything passed in $(( $(date +%s) - START )) s"
