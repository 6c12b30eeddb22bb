#!/usr/bin/env bash
# Applying 3 and 10 cgroup settings from a warm JVM: io_uring batches (IoUringCgroup, one
# io_uring_enter per batch) vs plain sequential open/write/close, median per batch side by side,
# plus the syscalls per batch counted with strace. See ci/benchmarks/README.md
# ("io_uring-batched cgroup writes").
#
# Usage (as root, from anywhere in the repository):
#   ci/benchmarks/iouring.sh
#   BATCHES=50000 ci/benchmarks/iouring.sh
#
# Settings (environment):
#   BATCHES=20000    timed batches per variant (at least 1000)
#   WARMUP=5000      untimed batches per variant first
#   MARKS=200        batches per variant counted by strace (0: no strace pass)
#   SKIP_BUILD=0     1: use runtime/target/classes as it is instead of mvn -q -pl runtime compile
#   DEVICE=          "major:minor" of the block device for the io settings (default: the first disk)
#   JAVA_OPTS=       extra JVM options for the harness
set -euo pipefail

BATCHES=${BATCHES:-20000}
WARMUP=${WARMUP:-5000}
MARKS=${MARKS:-200}
SKIP_BUILD=${SKIP_BUILD:-0}
DEVICE=${DEVICE:-}
JAVA_OPTS=${JAVA_OPTS:-}
INVOCATION="BATCHES=$BATCHES WARMUP=$WARMUP MARKS=$MARKS SKIP_BUILD=$SKIP_BUILD $0${*:+ $*}"

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init iouring
[[ "$BATCHES" =~ ^[0-9]+$ ]] && [ "$BATCHES" -ge "${MIN_BATCHES:-1000}" ] || die "BATCHES must be a number >= 1000 (got $BATCHES)"
[[ "$MARKS" =~ ^[0-9]+$ ]] || die "MARKS must be a number (got $MARKS)"
tools=(openjdk-17-jdk-headless:javac maven:mvn)
[ "$MARKS" = 0 ] || tools+=(strace:strace)
bench_tools "${tools[@]}"
PREFIX="iou-bench-$$-"
bench_runtime_cp io/alicecontainer/iouring compile
mkdir -p "$TMP/classes"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/iouring/IoUringBench.java"

PROPS=(-Dprefix="$PREFIX")
[ -n "$DEVICE" ] && PROPS+=(-Ddevice="$DEVICE")

leftovers() {
    find /sys/fs/cgroup -maxdepth 8 -type d -name "${PREFIX}*" 2>/dev/null || true
}

echo "# io_uring-batched cgroup writes vs plain writes ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
echo "harness:  java ${JAVA_OPTS:+$JAVA_OPTS }-Dbatches=$BATCHES -Dwarmup=$WARMUP -cp <runtime classes + deps> IoUringBench"
echo "runtime:  $BUILD_NOTE"
echo "machine:  nproc=$(nproc), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel.io_uring_disabled=$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo n/a), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:     $(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
echo "cgroups:  $(stat -fc %T /sys/fs/cgroup)$( [ -e /sys/fs/cgroup/unified/cgroup.controllers ] && echo " (hybrid: v1 controllers + cgroup2 at /sys/fs/cgroup/unified)")"

# shellcheck disable=SC2086
java $JAVA_OPTS "${PROPS[@]}" -Dbatches="$BATCHES" -Dwarmup="$WARMUP" -cp "$TMP/classes:$CP" IoUringBench
echo "load average after the timed run: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$MARKS" -gt 0 ]; then
    # Syscalls per batch: strace follows every thread; the harness stats a marker path before and
    # after MARKS batches of one variant; only the syscalls of the thread that made the markers are
    # counted (io_uring's io-wq workers are kernel-side threads and make no syscalls of their own).
    mkdir -p "$TMP/marks"
    # shellcheck disable=SC2086
    strace -f -qq -o "$TMP/strace.txt" java $JAVA_OPTS "${PROPS[@]}" -Dmode=syscalls -Dmarks="$MARKS" -Dmark.dir="$TMP/marks" \
        -cp "$TMP/classes:$CP" IoUringBench >"$TMP/variants.txt"
    echo
    echo "Syscalls per batch (strace -f, $MARKS batches per variant, the harness thread only), and once per IoUringCgroup for its ring:"
    echo "| settings | way                                                   | syscalls per batch, by name                                                  | total | set-up (once, new IoUringCgroup)                | close (once)       |"
    echo "|---------:|-------------------------------------------------------|------------------------------------------------------------------------------|------:|-------------------------------------------------|--------------------|"
    while read -r _ id n label; do
        count() {   # count <begin marker> <end marker> <divisor>: "name k + name k ..." (most first), then "|total"
            awk -v b="$1" -v e="$2" '
                !tid && index($0, b) { tid = $1; next }
                tid && $1 == tid && index($0, e) { exit }
                tid && $1 == tid && $2 !~ /^<\.\.\./ { name = $2; sub(/\(.*/, "", name); print name }
            ' "$TMP/strace.txt" | sort | uniq -c | sort -k1,1nr -k2 | awk -v div="$3" '
                { out = out (NR > 1 ? " + " : "") $2 " " ($1 / div); total += $1 }
                END { printf "%s|%s", (NR == 0 ? "none" : out), total / div }'
        }
        IFS='|' read -r per total <<<"$(count "/begin-$id\"" "/end-$id\"" "$MARKS")"
        IFS='|' read -r setup _ <<<"$(count "/setup-begin-$id\"" "/setup-end-$id\"" 1)"
        IFS='|' read -r closing _ <<<"$(count "/close-begin-$id\"" "/close-end-$id\"" 1)"
        settings=$n; [[ $id == api-* ]] && settings="3 limits"
        printf '| %8s | %-53s | %-76s | %5s | %-47s | %-18s |\n' "$settings" "$label" "$per" "$total" "$setup" "$closing"
    done <"$TMP/variants.txt"
fi

left=$(leftovers)
[ -z "$left" ] || die "cgroups left behind: $left"
echo
echo "cgroups: none left"
