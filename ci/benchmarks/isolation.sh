#!/usr/bin/env bash
# What an @Isolated test costs: wall time of 20 trivial tests (a) in-process, (b) each @Isolated
# cold (no pool, no CDS archive), with the children's CDS archive, with the pool of warm children,
# with both, at class granularity, with JUnit's parallel execution; (c) a Surefire fork per class;
# (q) QuickPerf's per-test JVM fork (@HeapSize); side by side with a bare cold `java` running the
# JUnit Platform console launcher on one trivial test. See ci/benchmarks/README.md ("Isolated test
# overhead"). The pool and granularity rows run only when the installed extension knows
# alice.isolation.pool.size / alice.isolation.granularity (the script says which it skipped).
#
# Usage (as root: isolation needs cgroups and namespaces; from anywhere in the repository):
#   ci/benchmarks/isolation.sh
#   REPS=7 LAUNCHER_RUNS=3 ci/benchmarks/isolation.sh
#
# Settings (environment):
#   REPS=5            rounds; each runs every Maven variant once (shuffled) and every launcher row
#                     LAUNCHER_RUNS times; medians over the rounds are reported
#   LAUNCHER_RUNS=2   cold console-launcher runs per row and round
#   QUIET_IDLE=0.80   before each run, wait until the machine was this idle for 2 s ...
#   QUIET_WAIT=30     ... but at most this many seconds (0: never wait)
#   SKIP_INSTALL=0    1: do not install the modules (M2_SEED must then hold them already)
#   M2_SEED=~/.m2/repository  the repository the private one (under the temp dir) is seeded from;
#                     the modules are installed into the private one only
#   APPCDS=1          0: skip the launcher's CDS row
#   QUICKPERF=1       0: skip QuickPerf's row (it needs Maven Central once, for quick-perf-junit5 1.1.0)
#   BREAKDOWN=1       0: skip the traced runs that split an isolated test into phases
#   BREAKDOWN_RUNS=3  traced runs per configuration (the quietest is shown)
#   KEEP=0            1: keep the temp dir (its path is printed)
#
# How test time is separated from Maven's own start: every variant runs as `mvn -o -B test` with
# Maven's log timestamped (simplelogger, ms); the figure is the time from the Surefire mojo's
# "--- maven-surefire-plugin:...:test" line to "BUILD SUCCESS". That covers everything Surefire
# does for the tests (its set-up, the fork or forks, the tests, the isolated children, the
# reports) and none of Maven's start, project scan or compile up-to-date checks. Fixed costs that
# every variant has (Surefire's set-up, the first fork's JVM) cancel in "over (a)", the per-test
# difference to the in-process run. Two other measures are printed as a cross-check: the whole
# `mvn` wall time minus a `-DskipTests` run of the same project (carries the noise of two Maven
# starts), and the sum of the Surefire XML testsuite times (misses the forks' JVM starts, so it
# cannot see what (c) costs).
#
# The machine may be shared: each run also records the CPU time that other processes used during it
# (busy time from /proc/stat minus the run's own user+sys from getrusage), printed as "others".
set -euo pipefail

REPS=${REPS:-5}
LAUNCHER_RUNS=${LAUNCHER_RUNS:-2}
QUIET_IDLE=${QUIET_IDLE:-0.80}
QUIET_WAIT=${QUIET_WAIT:-30}
SKIP_INSTALL=${SKIP_INSTALL:-0}
APPCDS=${APPCDS:-1}
BREAKDOWN=${BREAKDOWN:-1}
BREAKDOWN_RUNS=${BREAKDOWN_RUNS:-3}
QUICKPERF=${QUICKPERF:-1}
KEEP=${KEEP:-0}
N=20
INVOCATION="REPS=$REPS LAUNCHER_RUNS=$LAUNCHER_RUNS QUIET_IDLE=$QUIET_IDLE QUIET_WAIT=$QUIET_WAIT SKIP_INSTALL=$SKIP_INSTALL APPCDS=$APPCDS QUICKPERF=$QUICKPERF BREAKDOWN=$BREAKDOWN BREAKDOWN_RUNS=$BREAKDOWN_RUNS $0"

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'; }
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init isolation
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive number (got $REPS)"
[[ "$BREAKDOWN_RUNS" =~ ^[1-9][0-9]*$ ]] || die "BREAKDOWN_RUNS must be a positive number (got $BREAKDOWN_RUNS)"
[[ "$LAUNCHER_RUNS" =~ ^[1-9][0-9]*$ ]] || die "LAUNCHER_RUNS must be a positive number (got $LAUNCHER_RUNS)"
for tool in mvn java javac jar python3 awk shuf unzip; do command -v $tool >/dev/null || die "$tool not found"; done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"

TEMPLATE=$HERE/isolation
SUM="python3 $TEMPLATE/summarize.py"
[ -f "$REPO/extension/pom.xml" ] && [ -f "$TEMPLATE/pom.xml" ] || die "run from the repository (no extension/pom.xml or $TEMPLATE/pom.xml)"

bench_private_repo   # M2, MVN_REPO: every mvn below uses the private repository under TMP
CONSOLE_JAR=$M2/org/junit/platform/junit-platform-console-standalone/1.14.4/junit-platform-console-standalone-1.14.4.jar
# The isolated tests' containers go below a cgroup of this run's own (alice.cgroup.parent, relative
# to the Surefire fork's cgroup), so that the check at the end finds exactly this run's leftovers.
CG_PARENT=alice-bench-$$
ARGLINE="-Dalice.cgroup.parent=$CG_PARENT"

cgroup_dirs() { find /sys/fs/cgroup -maxdepth 6 -type d -name "$CG_PARENT" 2>/dev/null || true; }

cgroup_cleanup() {
    local left=0 d
    for d in $(cgroup_dirs); do
        # Anything below our parent is a container or a JVM group left behind.
        if [ -n "$(find "$d" -mindepth 1 -type d | head -1)" ]; then
            log "LEFT BEHIND below $d:"; find "$d" -mindepth 1 -type d >&2; left=1
            find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
        fi
        rmdir "$d" 2>/dev/null || { log "cannot remove $d"; left=1; }
    done
    [ "$left" = 0 ] || { log "cgroups were left behind (removed where possible)"; [ "$BENCH_RC" = 0 ] && BENCH_RC=1; }
}
bench_on_exit cgroup_cleanup

# --- load accounting --------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }   # jiffies, all CPUs
cpu_idle() { awk '/^cpu / { print $5 + $6 }' /proc/stat; }

# Wait (at most QUIET_WAIT s) until the machine was at least QUIET_IDLE idle for two 1-s samples.
QUIET_LOG=$TMP/quiet.tsv
wait_quiet() {
    [ "$QUIET_WAIT" -gt 0 ] || return 0
    local t0=$SECONDS ok=0 b0 i0 b1 i1
    while [ $((SECONDS - t0)) -lt "$QUIET_WAIT" ]; do
        b0=$(cpu_busy); i0=$(cpu_idle); sleep 1; b1=$(cpu_busy); i1=$(cpu_idle)
        if awk -v b=$((b1 - b0)) -v i=$((i1 - i0)) -v q="$QUIET_IDLE" 'BEGIN { exit !(i / (b + i + 1e-9) >= q) }'; then
            ok=$((ok + 1)); [ $ok -ge 2 ] && { printf 'quiet\t%d\n' $((SECONDS - t0)) >>"$QUIET_LOG"; return 0; }
        else
            ok=0
        fi
    done
    printf 'busy\t%d\n' $((SECONDS - t0)) >>"$QUIET_LOG"
}

# timed OUT_PREFIX cmd...: runs cmd; writes OUT_PREFIX.t = "<wall s> <own cpu s> <others' cpu s>"
timed() {
    local out=$1 b0 b1 t0 t1 rc=0; shift
    b0=$(cpu_busy); t0=$EPOCHREALTIME
    /usr/bin/time -f '%U %S' -o "$out.rusage" "$@" || rc=$?
    t1=$EPOCHREALTIME; b1=$(cpu_busy)
    awk -v w="$(elapsed "$t0" "$t1")" -v busy=$((b1 - b0)) -v hz="$HZ" '
        NR == 1 && NF == 2 { own = $1 + $2 } END { o = busy / hz - own; if (o < 0) o = 0; printf "%.6f %.3f %.3f\n", w, own, o }' \
        "$out.rusage" >"$out.t"
    return $rc
}

# --- 1. the project's modules into the local repository ---------------------------------------------
if [ "$SKIP_INSTALL" = 1 ]; then
    BUILD_NOTE="artifacts as found in ${M2_SEED:-$HOME/.m2/repository} (SKIP_INSTALL=1)"
else
    bench_install_modules
fi
[ -f "$CONSOLE_JAR" ] || {
    log "fetching junit-platform-console-standalone 1.14.4"
    mvn -B -ntp -q "${MVN_REPO[@]}" dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.4 >&2 \
        || die "cannot get junit-platform-console-standalone 1.14.4"
}
# Which of issue 9's parameters the installed extension knows (the pool and granularity come from
# another branch): the rows that need one run only when it is there.
EXT_JAR=$(ls "$M2"/io/alicecontainer/alice-container-junit/0.1.0-SNAPSHOT/alice-container-junit-0.1.0-SNAPSHOT.jar)
# (grep -c, not -q: an early exit would end unzip with SIGPIPE, and pipefail would call it a miss)
knows() { unzip -p "$EXT_JAR" 'io/alicecontainer/*' 2>/dev/null | grep -ac -- "$1" >/dev/null; }
HAS_POOL=0; knows alice.isolation.pool.size && HAS_POOL=1
HAS_GRAN=0; knows alice.isolation.granularity && HAS_GRAN=1
HAS_CDS=0; knows alice.isolation.cds && HAS_CDS=1

# --- 2. the throwaway projects ----------------------------------------------------------------------
header() { printf 'package bench;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\n%bimport org.junit.jupiter.api.Test;\n\n' "${1:-}"; }
methods() { local i; for i in $(seq -w 1 $N); do printf '    @Test\n    void test%s() {\n        assertEquals(2, 1 + 1);\n    }\n\n' "$i"; done; }

new_project() { mkdir -p "$1/src/test/java/bench"; cp "$TEMPLATE/pom.xml" "$1/pom.xml"; }

# (a) one class, 20 methods, in-process
new_project "$TMP/plain"
{ header; printf 'class PlainTest {\n'; methods; printf '}\n'; } >"$TMP/plain/src/test/java/bench/PlainTest.java"
# (b) the same class with class-level @Isolated: every method in its own container
new_project "$TMP/isolated"
{ header 'import io.alicecontainer.junit.Isolated;\n'; printf '@Isolated\nclass IsolatedTest {\n'; methods; printf '}\n'; } \
    >"$TMP/isolated/src/test/java/bench/IsolatedTest.java"
# (c) 20 classes with one method each (a fork per class with reuseForks=false; one fork with true)
new_project "$TMP/classes"
for i in $(seq -w 1 $N); do
    { header; printf 'class Fork%sTest {\n    @Test\n    void test() {\n        assertEquals(2, 1 + 1);\n    }\n}\n' "$i"; } \
        >"$TMP/classes/src/test/java/bench/Fork${i}Test.java"
done
# The traced copy of (b): a TestExecutionListener (ServiceLoader) in parent and children.
new_project "$TMP/traced"
cp "$TMP/isolated/src/test/java/bench/IsolatedTest.java" "$TEMPLATE/trace/TraceListener.java" "$TMP/traced/src/test/java/bench/"
mkdir -p "$TMP/traced/src/test/resources/META-INF/services"
echo bench.TraceListener >"$TMP/traced/src/test/resources/META-INF/services/org.junit.platform.launcher.TestExecutionListener"
PROJECTS=(plain isolated classes traced)
# (q) QuickPerf 1.1.0: @QuickPerfTest + @HeapSize forks a JVM per test. Its fork runs the test
# through the JUnit launcher, which it does not depend on: junit-platform-launcher is added.
if [ "$QUICKPERF" = 1 ]; then
    new_project "$TMP/quickperf"
    sed -i '/<\/dependencyManagement>/,$ s#</dependencies>#  <dependency>\n      <groupId>org.quickperf</groupId>\n      <artifactId>quick-perf-junit5</artifactId>\n      <version>1.1.0</version>\n      <scope>test</scope>\n    </dependency>\n    <dependency>\n      <groupId>org.junit.platform</groupId>\n      <artifactId>junit-platform-launcher</artifactId>\n      <scope>test</scope>\n    </dependency>\n  </dependencies>#' \
        "$TMP/quickperf/pom.xml"
    { header 'import org.quickperf.junit5.QuickPerfTest;\nimport org.quickperf.jvm.allocation.AllocationUnit;\nimport org.quickperf.jvm.annotations.HeapSize;\n'
      printf '@QuickPerfTest\nclass QuickPerfForkTest {\n'
      methods | sed 's/^    @Test$/    @Test\n    @HeapSize(value = 64, unit = AllocationUnit.MEGA_BYTE)/'
      printf '}\n'; } >"$TMP/quickperf/src/test/java/bench/QuickPerfForkTest.java"
    (cd "$TMP/quickperf" && mvn -B -ntp -q "${MVN_REPO[@]}" dependency:resolve test-compile >"$TMP/resolve-quickperf.log" 2>&1) \
        || { cat "$TMP/resolve-quickperf.log" >&2; die "QuickPerf's project does not resolve (Maven Central is needed once; QUICKPERF=0 skips it)"; }
    PROJECTS+=(quickperf)
fi

for p in "${PROJECTS[@]}"; do
    (cd "$TMP/$p" && mvn -o -B -ntp -q "${MVN_REPO[@]}" test-compile >"$TMP/compile-$p.log" 2>&1) \
        || { cat "$TMP/compile-$p.log" >&2; die "the $p project does not compile (offline)"; }
done

# --- the Maven variants -----------------------------------------------------------------------------
declare -A VDIR VARGS
VARIANTS=()
variant() { # key, project, expected tests, how it differs, label
    VARIANTS+=("$1"); VDIR[$1]=$2; VARGS[$1]=$4; printf '%s\t%s\t%s\n' "$1" "$3" "$5" >>"$TMP/variants.tsv"
}
# Children's JVM options are the extension's defaults (C1, Serial GC, no perf data). Issue 9's
# switches, as JUnit configuration parameters (several are one properties text, one per line):
NL=$'\n'
COLD="alice.isolation.pool.size=0${NL}alice.isolation.cds=false"
variant a    plain    $N "" "(a) in-process, 1 class × 20 methods, one fork"
variant b0   isolated $N "$COLD" "(b0) @Isolated cold: no pool, no CDS archive"
variant bA   isolated $N "alice.isolation.pool.size=0${NL}alice.isolation.cds=true" "(bA) @Isolated + CDS archive"
SKIPPED=()
if [ "$HAS_POOL" = 1 ]; then
    variant bP isolated $N "alice.isolation.cds=false" "(bP) @Isolated + pool"
    variant bB isolated $N "alice.isolation.cds=true" "(bB) @Isolated + pool + CDS archive (the defaults)"
else
    SKIPPED+=("(bP) + pool and (bB) + both: the installed extension has no alice.isolation.pool.size")
fi
if [ "$HAS_GRAN" = 1 ]; then
    variant bC isolated $N "alice.isolation.granularity=class" "(bC) @Isolated, class granularity (defaults)"
else
    SKIPPED+=("(bC) class granularity: the installed extension has no alice.isolation.granularity")
fi
variant bJ   isolated $N "junit.jupiter.execution.parallel.enabled=true${NL}junit.jupiter.execution.parallel.mode.default=concurrent" \
    "(bJ) @Isolated, defaults, JUnit parallel (dynamic)"
variant c    classes  $N "reuseForks=false" "(c) 20 classes × 1 method, a fork per class"
variant a2   classes  $N "" "(a') 20 classes × 1 method, one fork (control for c)"
[ "$QUICKPERF" = 1 ] && variant q quickperf $N "" "(q) QuickPerf @HeapSize(64 MB): a JVM fork per test"
variant base plain    0  "skipTests" "baseline: mvn test -DskipTests"

mvn_args() { # key -> MARGS, the mvn command line's arguments
    local v=${VARGS[$1]}
    MARGS=(-o -B -ntp "${MVN_REPO[@]}" test "-Dbench.argLine=$ARGLINE")
    case "$v" in
        "") ;;
        reuseForks=false) MARGS+=(-Dbench.reuseForks=false) ;;
        skipTests) MARGS+=(-DskipTests) ;;
        alice.*|junit.*) MARGS+=("-Dbench.junitParams=$v") ;;
    esac
    return 0
}

export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"

run_variant() { # key rep -> one line in runs.jsonl
    local k=$1 rep=$2 dir=$TMP/${VDIR[$1]} expected
    mvn_args "$k"
    rm -rf "$dir/target/surefire-reports" "$dir/target/alice-reports"
    wait_quiet
    (cd "$dir" && timed "$TMP/mvn-$k-$rep" mvn "${MARGS[@]}" >"$TMP/mvn-$k-$rep.log" 2>&1) \
        || { tail -60 "$TMP/mvn-$k-$rep.log" >&2; die "variant $k failed: mvn ${MARGS[*]}"; }
    expected=$(awk -F'\t' -v k="$k" '$1 == k { print $2 }' "$TMP/variants.tsv")
    # shellcheck disable=SC2046
    $SUM record "$k" "$rep" "$dir" "$TMP/mvn-$k-$rep.log" $(cat "$TMP/mvn-$k-$rep.t") "$expected" >>"$TMP/runs.jsonl" \
        || { tail -60 "$TMP/mvn-$k-$rep.log" >&2; die "variant $k: unexpected test results"; }
}

one_isolated() { # project, log, child JVM options[, more parameters]: run IsolatedTest#test01 alone
    (cd "$TMP/$1" && mvn -o -B -ntp -q "${MVN_REPO[@]}" test "-Dbench.argLine=$ARGLINE" -Dtest='IsolatedTest#test01' \
        "-Dbench.junitParams=alice.isolation.jvmOptions=$3${4:+$NL$4}" >"$TMP/$2" 2>&1) \
        || { tail -40 "$TMP/$2" >&2; die "the run with child options $3 failed"; }
}


# --- 3. the cold console launcher, one trivial test -------------------------------------------------
LCP="$CONSOLE_JAR:$TMP/plain/target/test-classes"
LAUNCH=(org.junit.platform.console.ConsoleLauncher execute --select-method bench.PlainTest#test01)
declare -A LOPTS LLABEL LCPS
LKEYS=(default c1)
LOPTS[default]=""; LLABEL[default]="java -cp <console-standalone>:<test-classes> ConsoleLauncher execute --select-method"
CHILD_OPTS="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=3"   # the children's defaults
LOPTS[c1]="$CHILD_OPTS"; LLABEL[c1]="  same, the children's default options ($CHILD_OPTS)"
if [ "$APPCDS" = 1 ]; then
    # A full AppCDS archive (JDK, JUnit and test classes) needs the test classes in a jar on JDK 17.
    jar cf "$TMP/tests.jar" -C "$TMP/plain/target/test-classes" .
    LCPS[appcds]="$CONSOLE_JAR:$TMP/tests.jar"
    java $CHILD_OPTS -XX:ArchiveClassesAtExit="$TMP/launcher-app.jsa" -cp "${LCPS[appcds]}" "${LAUNCH[@]}" >"$TMP/launcher-app-dump.log" 2>&1 \
        && [ -s "$TMP/launcher-app.jsa" ] || { cat "$TMP/launcher-app-dump.log" >&2; die "the launcher's AppCDS archive failed"; }
    LKEYS+=(appcds); LOPTS[appcds]="-XX:SharedArchiveFile=$TMP/launcher-app.jsa $CHILD_OPTS"
    LLABEL[appcds]="  same, test classes jarred, AppCDS archive (dynamic), the children's options"
fi
launch_once() { # key [record]
    local k=$1 cp=${LCPS[$1]:-$LCP}
    # shellcheck disable=SC2086
    timed "$TMP/launcher" java ${LOPTS[$k]} -cp "$cp" "${LAUNCH[@]}" >"$TMP/launcher-$k.out" 2>&1 \
        || { cat "$TMP/launcher-$k.out" >&2; die "console launcher ($k) failed"; }
    grep -q '1 tests successful' "$TMP/launcher-$k.out" || { cat "$TMP/launcher-$k.out" >&2; die "console launcher ($k) ran no test"; }
    if grep -qi 'warning.*cds\|sharing.*disabled\|mismatch' "$TMP/launcher-$k.out"; then
        cat "$TMP/launcher-$k.out" >&2; die "console launcher ($k): CDS warning"
    fi
    [ -z "${2:-}" ] || printf '%s\t%s\t%s\n' "$k" "${LLABEL[$k]}" "$(tr ' ' '\t' <"$TMP/launcher.t")" >>"$TMP/launcher.tsv"
}

# --- the rounds -------------------------------------------------------------------------------------
log "warm-up: one untimed run of each Maven variant and launcher row"
for k in "${VARIANTS[@]}"; do run_variant "$k" 0; done
for k in "${LKEYS[@]}"; do launch_once "$k"; done
: >"$TMP/runs.jsonl"; : >"$TMP/launcher.tsv"; : >"$QUIET_LOG"
T_START=$SECONDS
for rep in $(seq 1 "$REPS"); do
    order=$(printf '%s\n' "${VARIANTS[@]}" | shuf | tr '\n' ' ')
    log "round $rep/$REPS: $order+ launcher ×$LAUNCHER_RUNS"
    for k in $order; do run_variant "$k" "$rep"; done
    for i in $(seq 1 "$LAUNCHER_RUNS"); do
        wait_quiet
        for k in $(printf '%s\n' "${LKEYS[@]}" | shuf); do launch_once "$k" record; done
    done
done
T_ROUNDS=$((SECONDS - T_START))

# --- 4. the table -----------------------------------------------------------------------------------
{
    echo "# Isolated test overhead ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo "command:  $INVOCATION"
    echo "modules:  $BUILD_NOTE"
    echo "machine:  nproc=$NCPU, kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java:     $(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
    echo "maven:    $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'), surefire 3.5.4 (forkCount=1), JUnit 5.14.4; mvn -o -B test per run"
    echo "rounds:   $REPS, each: every Maven variant once (shuffled; one untimed run each before), every launcher row $LAUNCHER_RUNS× (shuffled); ${T_ROUNDS} s"
    awk -F'\t' -v q="$QUIET_IDLE" -v w="$QUIET_WAIT" '{ n++; s += $2; if ($1 == "busy") b++ }
        END { printf "quiet:    before each run, waited for >= %d%% idle (2 s; at most %d s): %d waits, %d s in all, %d gave up\n", q * 100, w, n, s, b }' "$QUIET_LOG"
    echo
    $SUM table "$TMP/runs.jsonl" "$TMP/launcher.tsv" "$TMP/variants.tsv" "$NCPU"
} | tee "$TMP/report.txt"

# --- where an isolated test's time goes -------------------------------------------------------------
if [ "$BREAKDOWN" = 1 ]; then
    echo
    TRACE=$TMP/traced/target/trace.log
    XLOG="-Xlog:startuptime:stdout:timenanos,uptimenanos -Xlog:gc+heap+exit:stdout:timenanos,uptimenanos"
    # BREAKDOWN_RUNS traced runs per configuration; the one during which other processes used the
    # least CPU is shown (a single run on a shared machine can be stretched 2x).
    breakdown() { # label, extra child options, more parameters
        local i best="" best_o=999 o
        for i in $(seq 1 "$BREAKDOWN_RUNS"); do
            rm -rf "$TMP/traced/target/surefire-reports" "$TMP/traced/target/alice-reports" "$TRACE"
            wait_quiet
            (cd "$TMP/traced" && timed "$TMP/traced" mvn -o -B -ntp -q "${MVN_REPO[@]}" test "-Dbench.argLine=$ARGLINE -Dbench.trace=$TRACE" \
                "-Dbench.junitParams=alice.isolation.jvmOptions=$XLOG${2:+ $2}${3:+$NL$3}" >"$TMP/traced.log" 2>&1) \
                || { tail -40 "$TMP/traced.log" >&2; die "the traced run failed"; }
            o=$(awk -v n="$NCPU" '{ printf "%.0f", 100 * $3 / ($1 * n) }' "$TMP/traced.t")
            others+=("$o%")
            $SUM trace "$TRACE" "$TMP/traced/target/surefire-reports/bench.IsolatedTest-output.txt" "$TMP/traced/target/alice-reports" \
                >"$TMP/breakdown-$i.txt"
            if [ "$o" -lt "$best_o" ]; then best_o=$o; best=$i; fi
        done
        echo "$1: the quietest of $BREAKDOWN_RUNS traced runs (others used ${others[*]} of the CPUs during them)"
        cat "$TMP/breakdown-$best.txt"
        others=()
    }
    others=()
    breakdown "(b0) cold children (no pool, no CDS archive)" "" "$COLD"
    echo
    # the traced project's archive is made by the first traced run with it (untimed)
    one_isolated traced traced-archive.log "" "alice.isolation.pool.size=0"
    breakdown "(bA) children with the CDS archive" "" "alice.isolation.pool.size=0"

    echo
    echo "Classes loaded (-Xlog:class+load), one JVM each:"
    classload_child() { # label, extra child options, more parameters
        rm -f "$TMP/isolated/target/classload.log"
        one_isolated isolated classload.log "-Xlog:class+load:file=$TMP/isolated/target/classload.log${2:+ $2}" "${3:-}"
        printf '  %-44s' "$1"; $SUM classes "$TMP/isolated/target/classload.log"
    }
    classload_child "isolated child, CDS archive:" "" "alice.isolation.pool.size=0"
    classload_child "isolated child, cold:" "" "$COLD"   # last: its log is read below
    classload_launcher() { # label, key
        # shellcheck disable=SC2086
        java ${LOPTS[$2]} -Xlog:class+load:file="$TMP/launcher-classload.log" -cp "${LCPS[$2]:-$LCP}" "${LAUNCH[@]}" >/dev/null 2>&1
        printf '  %-44s' "$1"; $SUM classes "$TMP/launcher-classload.log"
    }
    classload_launcher "console launcher:" default
    if [ "$APPCDS" = 1 ]; then
        classload_launcher "console launcher, AppCDS:" appcds
    fi
    CHILD_CP=$(grep -o 'name="java.class.path" value="[^"]*"' "$TMP/isolated/target/surefire-reports/TEST-bench.IsolatedTest.xml" | sed 's/.*value="//; s/"$//')
    printf "  the isolated child's classpath has %s entries (the Surefire fork's java.class.path); the launcher's 2\n" \
        "$(tr ':' '\n' <<<"$CHILD_CP" | grep -c . || true)"
    n_jnr=$(grep -c 'source: file:.*/com/github/jnr/\|source: file:.*/org/ow2/asm/' "$TMP/isolated/target/classload.log" || true)
    echo "  $n_jnr of the isolated child's classes come from jnr-ffi, jffi and ASM (its cgroup usage reads go through jnr-ffi)"

    echo
    mkdir -p "$TMP/ownusage"
    javac -nowarn -d "$TMP/ownusage" -cp "$CHILD_CP" "$TEMPLATE/OwnUsage.java"
    : >"$TMP/ownusage.txt"
    for i in 1 2 3 4 5; do wait_quiet; java -cp "$TMP/ownusage:$CHILD_CP" OwnUsage >>"$TMP/ownusage.txt"; done
    sort -n -k1 "$TMP/ownusage.txt" | awk '{ a[NR] = $0 } END { split(a[int((NR + 1) / 2)], m, " ");
        printf "The agent'\''s usage reads in a fresh JVM (OwnUsage.java, run %d times, the median run by the first figure): Native.libc() (jnr-ffi loads and binds libc) %.1f ms, then the first CgroupController.ownUsage() %.1f ms, the second %.1f ms\n", NR, m[1], m[2], m[3] }'
fi

echo
for skipped in "${SKIPPED[@]}"; do echo "not measured: $skipped"; done
echo "cgroups: the isolated tests ran below $CG_PARENT (alice.cgroup.parent) in $(cgroup_dirs | wc -l) hierarchies; checked for leftovers and removed on exit"
