#!/usr/bin/env bash
# A real open-source suite in-process and with every test isolated (alice.isolation.mode=all), at
# class and at method granularity: the per-test outcomes compared (same tests, same
# pass/fail/skip), and wall time and CPU side by side. See ci/benchmarks/README.md ("A real suite").
#
# Usage (as root: isolation needs cgroups and namespaces; from anywhere in the repository):
#   ci/benchmarks/real-suite.sh                                   # Commons Codec 1.18.0, all 1,723 tests
#   SUBSET='org/apache/commons/codec/net/*Test' ci/benchmarks/real-suite.sh
#   PROJECT=io RUNS='inproc class' ci/benchmarks/real-suite.sh   # Commons IO 2.18.0, no method row
#   SRC=<a local clone or git dir of the project> ci/benchmarks/real-suite.sh
#
# Settings (environment):
#   PROJECT=codec     codec (apache/commons-codec, tag rel/commons-codec-1.18.0) or io
#                     (apache/commons-io, tag rel/commons-io-2.18.0); any other name needs SRC and TAG
#   SRC=              where to clone from (default: the project's GitHub URL); a local mirror works
#   TAG=              the tag or branch to check out (default: the project's, above)
#   SUBSET=           a Surefire -Dtest pattern for a quick run (default: the whole suite)
#   RUNS='inproc class method'   the runs, in this order; a subset of the three
#   WORK=             a directory kept between runs (private Maven repository, clones, logs);
#                     default: a temp dir removed at the end. The shared ~/.m2 is only read (seed).
#   SKIP_INSTALL=0    1: keep the extension already installed in the private repository (WORK only)
#   M2_SEED=~/.m2/repository  what the private repository is seeded from
#   MVN_ARGS=         extra Maven options for every run (both copies)
#   KEEP=0            1: keep the temp dir
#
# What it does: installs runtime and extension into a private Maven repository (never the shared
# one); clones the project twice: an in-process copy as it is, and an isolated copy with the
# extension as a test dependency and junit-platform.properties saying
# junit.jupiter.extensions.autodetection.enabled=true and alice.isolation.mode=all (appended to the
# project's own file where it has one); resolves once online (test-compile), then runs
# `mvn -o test` per row with -Dmaven.test.failure.ignore=true; the class row adds
# -Dalice.isolation.granularity=class (a user property: Surefire passes it to the fork as a system
# property, which JUnit reads as a configuration parameter). Each row records wall time, the CPU of
# mvn and everything it waited for (children's containers included), the CPU other processes used
# meanwhile, the load average, the Surefire mojo's own span (timestamped log), and the per-test
# outcomes from target/surefire-reports/TEST-*.xml. The containers go below a cgroup of this
# run's own (alice.cgroup.parent), so that leftovers are found and reported.
set -euo pipefail

PROJECT=${PROJECT:-codec}
SUBSET=${SUBSET:-}
RUNS=${RUNS:-inproc class method}
SKIP_INSTALL=${SKIP_INSTALL:-0}
MVN_ARGS=${MVN_ARGS:-}
case "$PROJECT" in
    codec) SRC=${SRC:-https://github.com/apache/commons-codec}; TAG=${TAG:-rel/commons-codec-1.18.0} ;;
    io) SRC=${SRC:-https://github.com/apache/commons-io}; TAG=${TAG:-rel/commons-io-2.18.0} ;;
    *) [ -n "${SRC:-}" ] && [ -n "${TAG:-}" ] || { echo "PROJECT=$PROJECT needs SRC and TAG" >&2; exit 2; } ;;
esac
INVOCATION="PROJECT=$PROJECT TAG=$TAG SUBSET='$SUBSET' RUNS='$RUNS' $0"

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init real-suite
for tool in mvn java git python3 awk; do command -v $tool >/dev/null || die "$tool not found"; done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
for r in $RUNS; do case $r in inproc|class|method) ;; *) die "RUNS: unknown row '$r' (inproc, class, method)";; esac; done

if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"; W=$(cd "$WORK" && pwd)
else
    W=$TMP
fi
# --- the private Maven repository and the extension in it -------------------------------------------
if [ -d "$W/m2/org" ] && [ -n "${WORK:-}" ]; then
    M2=$W/m2; MVN_REPO=(-Dmaven.repo.local="$M2"); log "reusing the private repository $M2"
else
    OLD_TMP=$TMP; TMP=$W; bench_private_repo; TMP=$OLD_TMP
fi
if [ "$SKIP_INSTALL" = 1 ] && [ -n "${WORK:-}" ] && [ -d "$M2/io/alicecontainer/alice-container-junit" ]; then
    BUILD_NOTE="the extension as installed in $M2 before (SKIP_INSTALL=1)"
else
    bench_install_modules
fi
EXT_VERSION=$(python3 -c 'import sys, xml.etree.ElementTree as E; n = {"m": "http://maven.apache.org/POM/4.0.0"}; r = E.parse(sys.argv[1]).getroot(); print((r.find("m:version", n) if r.find("m:version", n) is not None else r.find("m:parent/m:version", n)).text)' "$REPO/extension/pom.xml")

# --- the two copies ---------------------------------------------------------------------------------
SRCDIR=$W/$PROJECT-src
if [ ! -d "$SRCDIR/.git" ]; then
    log "cloning $SRC at $TAG"
    git clone -q --branch "$TAG" "$SRC" "$SRCDIR" 2>"$TMP/clone.log" || { cat "$TMP/clone.log" >&2; die "git clone failed"; }
fi
git -C "$SRCDIR" -c advice.detachedHead=false checkout -q "$TAG"
INPROC=$W/$PROJECT-inproc; ISO=$W/$PROJECT-iso
for d in "$INPROC" "$ISO"; do rm -rf "$d"; cp -a "$SRCDIR" "$d"; rm -rf "$d/.git"; done
python3 - "$ISO/pom.xml" "$EXT_VERSION" <<'EOF'
import sys
pom, version = sys.argv[1], sys.argv[2]
text = open(pom, encoding="utf-8").read()
dep = ("  <dependency>\n      <groupId>io.alicecontainer</groupId>\n      <artifactId>alice-container-junit</artifactId>\n"
       "      <version>%s</version>\n      <scope>test</scope>\n    </dependency>\n  " % version)
# the project's own dependencies: the top-level element (two spaces in), not dependencyManagement's
start = text.find("\n  <dependencies>")
end = text.find("\n  </dependencies>", start)
if start < 0 or end < 0:
    sys.exit("no top-level <dependencies> in " + pom)
open(pom, "w", encoding="utf-8").write(text[:end + 3] + dep + text[end + 3:])
EOF
grep -q alice-container-junit "$ISO/pom.xml" || die "could not add the extension to $ISO/pom.xml"
PROPS=$ISO/src/test/resources/junit-platform.properties
mkdir -p "$(dirname "$PROPS")"
[ -s "$PROPS" ] && tail -c1 "$PROPS" | grep -q . && echo >>"$PROPS"
printf 'junit.jupiter.extensions.autodetection.enabled=true\nalice.isolation.mode=all\n' >>"$PROPS"

# Plugins that check the build, not the tests: off in both copies alike.
M=(-B -ntp "${MVN_REPO[@]}" -Denforcer.skip -Drat.skip -Djapicmp.skip -Dcheckstyle.skip -Dspotbugs.skip -Dpmd.skip
   -Danimal.sniffer.skip -Dmaven.javadoc.skip -Dcyclonedx.skip -Dspdx.skip -Dmoditect.skip -Djacoco.haltOnFailure=false
   -Dcommons.jacoco.haltOnFailure=false $MVN_ARGS)
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
# The online pass runs one test class: Surefire resolves its JUnit provider only when a test runs
# (and the isolated copy makes its class-data-sharing archive there, before the timed rows).
ONE=$(cd "$SRCDIR/src/test/java" && find . -name '*Test.java' | sort | head -1 | xargs -r basename | sed 's/\.java$//')
[ -n "$ONE" ] || die "no *Test.java under $SRCDIR/src/test/java"
for d in "$INPROC" "$ISO"; do
    log "resolving and compiling $(basename "$d") (online once: mvn test -Dtest=$ONE)"
    (cd "$d" && mvn "${M[@]}" test "-Dtest=$ONE" -Dmaven.test.failure.ignore=true) >"$TMP/compile-$(basename "$d").log" 2>&1 \
        || { tail -40 "$TMP/compile-$(basename "$d").log" >&2; die "the online pass failed in $d"; }
done

# --- the runs ---------------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
CG_PARENT=alice-suite-$$
cgroup_dirs() { find /sys/fs/cgroup -maxdepth 7 -type d -name "$CG_PARENT" 2>/dev/null || true; }
cgroup_cleanup() {
    local d left=0
    for d in $(cgroup_dirs); do
        if [ -n "$(find "$d" -mindepth 1 -type d 2>/dev/null | head -1)" ]; then left=1; log "LEFT BEHIND: $(find "$d" -mindepth 1 -type d | head -5 | tr '\n' ' ')"; fi
        find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
    [ $left = 0 ] || BENCH_RC=1
}
bench_on_exit cgroup_cleanup
RESULTS=$TMP/results; mkdir -p "$RESULTS"
[ -n "${WORK:-}" ] && { RESULTS=$W/results-$(date -u +%Y%m%dT%H%M%S); mkdir -p "$RESULTS"; }

run_row() {
    local row=$1 dir=$2; shift 2
    local out=$RESULTS/$row b0 b1 t0 t1 rc=0 la0 la1
    rm -rf "$dir/target/surefire-reports" "$dir/target/alice-reports"
    local args=("${M[@]}" -o test -Dmaven.test.failure.ignore=true -Dsurefire.failIfNoSpecifiedTests=false "$@")
    [ -n "$SUBSET" ] && args+=("-Dtest=$SUBSET")
    log "row $row: mvn ${args[*]:$((${#M[@]}))}"
    la0=$(cut -d' ' -f1-3 /proc/loadavg); b0=$(cpu_busy); t0=$EPOCHREALTIME
    (cd "$dir" && /usr/bin/time -f '%U %S' -o "$out.rusage" mvn "${args[@]}") >"$out.log" 2>&1 || rc=$?
    t1=$EPOCHREALTIME; b1=$(cpu_busy); la1=$(cut -d' ' -f1-3 /proc/loadavg)
    [ $rc = 0 ] || { tail -30 "$out.log" >&2; die "row $row: mvn exited with $rc (test failures do not do that: -Dmaven.test.failure.ignore)"; }
    rm -rf "$out.surefire" "$out.alice"
    cp -a "$dir/target/surefire-reports" "$out.surefire" 2>/dev/null || mkdir -p "$out.surefire"
    cp -a "$dir/target/alice-reports" "$out.alice" 2>/dev/null || true
    awk -v row="$row" -v t0="$t0" -v t1="$t1" -v busy=$((b1 - b0)) -v hz="$HZ" -v rc=$rc -v la0="$la0" -v la1="$la1" '
        NR == 1 { own = $1 + $2 } END { o = busy / hz - own; if (o < 0) o = 0
        printf "{\"row\": \"%s\", \"wall\": %.3f, \"cpu\": %.2f, \"others\": %.2f, \"rc\": %d, \"load0\": \"%s\", \"load1\": \"%s\"}\n", row, t1 - t0, own, o, rc, la0, la1 }' \
        "$out.rusage" >"$out.json"
}

START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $RUNS; do
    case $r in
        inproc) run_row inproc "$INPROC" ;;
        class) run_row class "$ISO" "-Dalice.cgroup.parent=$CG_PARENT" -Dalice.isolation.granularity=class ;;
        method) run_row method "$ISO" "-Dalice.cgroup.parent=$CG_PARENT" -Dalice.isolation.granularity=method ;;
    esac
done

# --- the report -------------------------------------------------------------------------------------
{
    echo "# A real suite in-process and isolated: $PROJECT $TAG ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo "command:  $INVOCATION"
    echo "modules:  $BUILD_NOTE"
    bench_machine_lines
    echo "load:     load average at the start $START_LOAD, at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows in 'others')"
    echo
    python3 "$HERE/real-suite/compare.py" "$RESULTS" $RUNS
} | tee "$RESULTS/report.txt"
