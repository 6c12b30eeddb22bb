#!/usr/bin/env bash
# Part 3 of ci/soak.sh: a JVM running an isolated test is SIGKILLed mid-test. Its child JVM must
# die with it (PR_SET_PDEATHSIG), and the next JVM that uses the runtime must sweep the cgroups it
# left. Usage: kill-parent.sh WORKDIR (from the repository root, after the extension's test build).
set -euo pipefail
TMP=$1
log() { printf '[soak] %s\n' "$*"; }
die() { printf '[soak] ERROR: %s\n' "$*" >&2; exit 1; }

mvn -B -ntp -q -pl extension dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/ext-cp.txt" >/dev/null 2>&1 \
    || die "dependency:build-classpath of the extension failed"
CP="extension/target/test-classes:extension/target/classes:runtime/target/classes:$(cat "$TMP/ext-cp.txt")"
mkdir -p "$TMP/kp"
javac --release 17 -nowarn -d "$TMP/kp" -cp "$CP" "$(dirname "$0")/KillParent.java"

MARK="alice-soak-kill-$$"
java -Dalice.soak.marker="$MARK" -cp "$TMP/kp:$CP" KillParent run >"$TMP/kp.log" 2>&1 &
PARENT=$!
child=""
for _ in $(seq 1 240); do
    child=$(pgrep -f "alice.isolation.child=true.*$MARK|$MARK.*alice.isolation.child=true" || true)
    [ -n "$child" ] && break
    sleep 0.5
done
[ -n "$child" ] || { kill -9 "$PARENT"; cat "$TMP/kp.log"; die "no child JVM appeared in 120 s"; }
sleep 2
groups=$(find /sys/fs/cgroup -type d -name "jvm-$PARENT-*" 2>/dev/null | wc -l)
log "parent JVM $PARENT runs its isolated test in child JVM $child; $groups cgroup directories of it"
kill -9 "$PARENT"
wait "$PARENT" 2>/dev/null || true
for _ in $(seq 1 100); do
    kill -0 "$child" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$child" 2>/dev/null && { kill -9 "$child"; die "the child JVM $child outlived its SIGKILLed parent"; }
left=$(find /sys/fs/cgroup -type d -name "jvm-$PARENT-*" 2>/dev/null | wc -l)
log "parent SIGKILLed: child JVM gone at once; $left cgroup directories of the dead JVM left for the sweep"
java -cp "$TMP/kp:$CP" KillParent sweep
after=$(find /sys/fs/cgroup -type d -name "jvm-$PARENT-*" 2>/dev/null | wc -l)
[ "$after" = 0 ] || die "the next JVM did not sweep the $after cgroup directories of the dead one"
log "the next JVM swept them: 0 left"
