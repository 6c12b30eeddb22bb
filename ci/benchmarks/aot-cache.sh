#!/usr/bin/env bash
# A JDK 25 child with the static CDS archive against the same child with the AOT cache, side by
# side in one run: each made as the extension makes it (ClassDataSharing, ArchiveMaker: the
# warm-up CdsWarmup records a class list for -Xshare:dump, or is the AOT cache's training run with
# -XX:AOTCacheOutput), the child with the options children get (ChildDefaults). Two kinds of child:
#   fresh   a new JVM runs the warm-up's own @Isolated test through the JUnit launcher (what a
#           cold child does, without the container): /usr/bin/time's wall and CPU (user+sys)
#   pooled  ForkedTestAgent as a pooled child, played by isolation/PooledChild.java: boot CPU,
#           CPU after hand-over, total CPU, hand-over to exit (wall)
# Rows are shuffled per round. See ci/benchmarks/README.md ("How children share classes").
#
# Usage (from anywhere in the repository, as root as the other benchmarks):
#   ci/benchmarks/aot-cache.sh
#   REPS=9 JAVA=<a JDK 25 home>/bin/java ci/benchmarks/aot-cache.sh
#
# Settings (environment):
#   REPS=7      rounds
#   VARIANTS=0  1: two more AOT rows, "aotplain" (the cache trained with the JVM's defaults, not
#               the children's compiler options) and "aotc2" (children without the C1 options: tiered with C2)
#   JAVA=       the JDK 25 (or newer) java to measure; default: $JDK25/bin/java, else the first
#               /usr/lib/jvm/*25* with a java
set -euo pipefail
REPS=${REPS:-7}
VARIANTS=${VARIANTS:-0}
if [ -z "${JAVA:-}" ]; then
    home=${JDK25:-$(ls -d /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* 2>/dev/null | head -1 || true)}
    JAVA=${home:+$home/bin/java}
fi
INVOCATION="REPS=$REPS VARIANTS=$VARIANTS JAVA=${JAVA:-} $0"
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init aot-cache
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive number (got $REPS)"
[ -n "$JAVA" ] && [ -x "$JAVA" ] || die "no JDK 25 found: set JAVA=<home>/bin/java or JDK25=<home>"
MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$MAJOR" -ge 25 ] || die "$JAVA is JDK $MAJOR: the AOT cache needs 25 or newer"
bench_tools time:dpkg maven:mvn

cd "$REPO"
log "building the runtime and the extension (mvn -B -ntp -q -pl extension -am -DskipTests package)"
mvn -B -ntp -q -pl extension -am -DskipTests package >"$TMP/build.log" 2>&1 || { tail -40 "$TMP/build.log" >&2; die "the build failed"; }
mvn -B -ntp -q -pl extension dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/cp.txt" \
    >"$TMP/cp.log" 2>&1 || { cat "$TMP/cp.log" >&2; die "dependency:build-classpath failed"; }
# jars only, as in a user's build (the extension and the runtime as jars, snapshots of this build)
cp runtime/target/alice-container-runtime-*[0-9T].jar "$TMP/runtime.jar"
cp extension/target/alice-container-junit-*[0-9T].jar "$TMP/extension.jar"
CP=$(tr ':' '\n' <"$TMP/cp.txt" | grep -v '/io/alicecontainer/' | grep . | paste -sd:):$TMP/runtime.jar:$TMP/extension.jar
WARMUP=io.alicecontainer.junit.internal.CdsWarmup
TEST_ID='[engine:junit-jupiter]/[class:io.alicecontainer.junit.internal.CdsWarmup$Sample]/[method:runs()]'
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- runtime extension || echo ', uncommitted changes')"

log "the static archive (class list of the warm-up, -Xshare:dump) and the AOT cache (the warm-up as training run)"
"$JAVA" -XX:DumpLoadedClassList="$TMP/classes.list" -cp "$CP" "$WARMUP" >"$TMP/warmup.log" 2>&1 || { cat "$TMP/warmup.log" >&2; die "warm-up failed"; }
"$JAVA" -Xshare:dump -XX:SharedClassListFile="$TMP/classes.list" -XX:SharedArchiveFile="$TMP/app.jsa" -cp "$CP" >"$TMP/dump.log" 2>&1 \
    || { cat "$TMP/dump.log" >&2; die "-Xshare:dump failed"; }
DEFAULTS="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=3"   # ChildDefaults
start=$(date +%s.%N)
# as ArchiveKey.trainingOptions: the children's compiler options in the training run too
# shellcheck disable=SC2086
"$JAVA" $DEFAULTS -XX:AOTCacheOutput="$TMP/app.aot" -cp "$CP" "$WARMUP" >"$TMP/train.log" 2>&1 || { cat "$TMP/train.log" >&2; die "training run failed"; }
TRAIN_S=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

if [ "$VARIANTS" = 1 ]; then
    "$JAVA" -XX:AOTCacheOutput="$TMP/plain.aot" -cp "$CP" "$WARMUP" >"$TMP/train2.log" 2>&1 \
        || { cat "$TMP/train2.log" >&2; die "training run with the JVM's defaults failed"; }
fi

mkdir -p "$TMP/pc"
javac -nowarn -d "$TMP/pc" -cp "$CP" "$HERE/isolation/PooledChild.java"

declare -A OPTS=(
    [none]="$DEFAULTS"
    [static]="$DEFAULTS -Xshare:auto -XX:SharedArchiveFile=$TMP/app.jsa"
    [aot]="$DEFAULTS -XX:AOTCache=$TMP/app.aot -Xlog:aot=off"
)
ROWS=(none static aot)
if [ "$VARIANTS" = 1 ]; then
    OPTS[aotplain]="$DEFAULTS -XX:AOTCache=$TMP/plain.aot -Xlog:aot=off"
    OPTS[aotc2]="-XX:AOTCache=$TMP/app.aot -Xlog:aot=off"
    ROWS+=(aotplain aotc2)
fi

: >"$TMP/runs.tsv"
for rep in $(seq 1 "$REPS"); do
    log "round $rep of $REPS"
    for row in $(for r in "${ROWS[@]}"; do echo "fresh-$r"; echo "pooled-$r"; done | shuf); do
        kind=${row%%-*} archive=${row#*-}
        if [ "$kind" = fresh ]; then
            # shellcheck disable=SC2086
            /usr/bin/time -f '%e %U %S' -o "$TMP/t" "$JAVA" ${OPTS[$archive]} -cp "$CP" "$WARMUP" >"$TMP/out" 2>&1 \
                || { cat "$TMP/out" >&2; die "row $row failed"; }
            grep -qi 'warning\|error' "$TMP/out" && { cat "$TMP/out" >&2; die "row $row printed a warning"; }
            read -r w u s <"$TMP/t"
            printf '%s\t%s\t%s\t\t\n' "$row" "$w" "$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')" >>"$TMP/runs.tsv"
        else
            # shellcheck disable=SC2086
            "$JAVA" -cp "$TMP/pc:$CP" PooledChild "$row" 1 "$TEST_ID" "$CP" ${OPTS[$archive]} >"$TMP/out" 2>&1 \
                || { cat "$TMP/out" >&2; die "row $row failed"; }
            grep -q passed "$TMP/out" && ! grep -q 'NOT PASSED' "$TMP/out" || { cat "$TMP/out" >&2; die "row $row: the test did not pass"; }
            # <label> boot B s  after hand-over A s  total T s CPU  hand-over to exit W s wall  passed
            awk -F'\t' '{ split($2, b, " "); split($3, a, " "); split($4, t, " "); split($5, w, " ");
                          printf "%s\t%s\t%s\t%s\t%s\n", $1, w[4], t[2], b[2], a[3] }' "$TMP/out" >>"$TMP/runs.tsv"
        fi
    done
done

echo "# A JDK 25 child: static CDS archive vs AOT cache ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
bench_machine_lines
echo "measured: $("$JAVA" -version 2>&1 | sed -n 2p)"
echo "build:    commit $COMMIT; AOT cache training run (with the cache's assembly) ${TRAIN_S} s wall;"
echo "          archive $(du -m "$TMP/app.jsa" | cut -f1) MiB, cache $(du -m "$TMP/app.aot" | cut -f1) MiB"
echo "runs:     $REPS rounds, the rows shuffled in each; child options: $DEFAULTS + the archive's (aotc2: the archive's only)"
echo
python3 - "$TMP/runs.tsv" "${ROWS[@]}" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(lambda: ([], [], [], []))
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    for i in range(4):
        if f[i + 1]:
            rows[f[0]][i].append(float(f[i + 1]))
def cell(v):
    return "%.2f (%.2f-%.2f)" % (statistics.median(v), min(v), max(v)) if v else ""
print("| child | wall s (fresh: whole run; pooled: hand-over to exit) | CPU s total | pooled: boot CPU s | pooled: CPU after hand-over s |")
print("|---|--:|--:|--:|--:|")
for k in ["%s-%s" % (kind, r) for kind in ("fresh", "pooled") for r in sys.argv[2:]]:
    w, c, b, a = rows[k]
    print("| %s | %s | %s | %s | %s |" % (k, cell(w), cell(c), cell(b), cell(a)))
print()
print("medians, (min-max) of the rounds")
PY
