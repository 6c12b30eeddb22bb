#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# timing-load.sh - the tests whose outcome depends on timing (CPU throttling, PSI, the CPU
# schedulers, process lifecycles), run N times in a row with a CPU hog beside them: one busy
# shell loop per CPU, in the same cgroup as the tests' JVMs, so that the machine is saturated
# the whole time. A timing test is trusted only when it holds here. Run as root after a build
# or from a clean tree (it compiles what is missing). Not part of ci/test.sh: it takes
# ~1 min per round; the figures of the last run are in the README ("Which cgroup layouts are
# tested").
#
# Usage: ci/timing-load.sh [ROUNDS]        (default 20)
# Environment: ALICE_TIMING_HOGS  busy loops beside the tests (default: the number of CPUs; 0 = none)
#              ALICE_TIMING_ONLY  the modules to run (default "runtime extension sample-tests")
# Prints one line per round and a table of passes per test class; exits 0 only when every
# round passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${1:-20}
HOGS=${ALICE_TIMING_HOGS:-$(nproc)}
WORK=$ROOT/target/timing-load
rm -rf "$WORK"
mkdir -p "$WORK"
die() { echo "timing-load: error: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "run as root: the tests make cgroups and containers"

# module: classes or methods (ConsoleLauncher selectors)
RUNTIME=(--select-method io.alicecontainer.ContainerLimitsTests#cpuLimitThrottles
         --select-method io.alicecontainer.cgroup.CgroupControllerTests#processLifecycle
         --select-class io.alicecontainer.psi.PsiSchedulerTests
         --select-class io.alicecontainer.psi.PsiMonitorTests
         --select-class io.alicecontainer.scheduler.DynamicSchedulerKernelTests)
EXTENSION=(--select-method io.alicecontainer.junit.IsolationResourcesTests#scheduler
           --select-method io.alicecontainer.junit.IsolationResourcesTests#budgets)
SAMPLES=(--select-class io.alicecontainer.samples.CpuLimitTests
         --select-class io.alicecontainer.samples.CpuPressureTests
         --select-class io.alicecontainer.samples.CpuSchedulerTests)

echo "timing-load: compiling runtime, extension and samples (no tests run)"
for m in runtime extension sample-tests; do
  mvn -B -ntp -q -pl "$m" -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$WORK/$m.classpath" -Dmdep.includeScope=test > "$WORK/mvn-$m.log" 2>&1 \
    || { cat "$WORK/mvn-$m.log"; die "compiling $m failed"; }
done
platform=$(tr ':' '\n' < "$WORK/runtime.classpath" | sed -n 's|.*/junit-platform-engine-\([0-9][^/]*\)\.jar$|\1|p' | head -1)
[ -n "$platform" ] || die "no junit-platform-engine on the runtime's test class path"
mvn -B -ntp -q -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" \
    -DoutputDirectory="$WORK" > "$WORK/mvn-console.log" 2>&1 || { cat "$WORK/mvn-console.log"; die "cannot fetch the console launcher"; }
console=$WORK/junit-platform-console-standalone-$platform.jar

classpath() {   # the module's classes, test classes and dependencies, without JUnit (the launcher brings it)
  local m=$1 own=""
  # the reactor's modules from their target/ folders, not from the local Maven repository
  case $m in
    runtime) own="$ROOT/runtime/target/test-classes:$ROOT/runtime/target/classes" ;;
    extension) own="$ROOT/extension/target/test-classes:$ROOT/extension/target/classes:$ROOT/runtime/target/classes" ;;
    sample-tests) own="$ROOT/sample-tests/target/test-classes:$ROOT/extension/target/classes:$ROOT/runtime/target/classes" ;;
  esac
  # the launcher jar brings JUnit, but not the testkit the extension's tests use
  echo "$own:$(tr ':' '\n' < "$WORK/$m.classpath" | grep -v '/io/alicecontainer/' \
      | grep -vE '/(org/junit|org/opentest4j|org/apiguardian)/' | paste -sd: -):$(tr ':' '\n' < "$WORK/$m.classpath" | grep testkit | paste -sd: -)"
}

hogs=()
stop_hogs() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
for _ in $(seq 1 "$HOGS"); do sh -c 'while :; do :; done' & hogs+=($!); done
echo "timing-load: $ROUNDS rounds, $HOGS CPU hog(s) beside the tests, $(nproc) CPUs"

declare -A passed=() ran=()
failed_rounds=0
run() {   # run ROUND MODULE SELECTORS...: one ConsoleLauncher JVM; counts per test class from its XML
  local round=$1 m=$2 status=0
  shift 2
  local out="$WORK/round-$round/$m"
  mkdir -p "$out"
  local extra=()
  [ "$m" = extension ] && extra=(-Dalice.test.marker=from-argline -Xss2m)
  (cd "$ROOT/$m" && ALICE_TEST_ENV=from-surefire java "${extra[@]}" -jar "$console" execute --disable-banner \
      --disable-ansi-colors --details=none --fail-if-no-tests -cp "$(classpath "$m")" \
      --reports-dir "$out" "$@") > "$out/console.log" 2>&1 || status=$?
  python3 - "$out" <<'PY' >> "$WORK/counts"
import glob, sys, xml.etree.ElementTree as ET
for f in glob.glob(sys.argv[1] + "/*.xml"):
    for case in ET.parse(f).getroot().iter("testcase"):
        cls = case.get("classname", "?").split("$")[0]
        bad = any(c.tag in ("failure", "error") for c in case)
        skip = any(c.tag == "skipped" for c in case)
        print(cls, "skip" if skip else ("fail" if bad else "pass"))
PY
  return $status
}

start=$(date +%s)
for r in $(seq 1 "$ROUNDS"); do
  t0=$(date +%s)
  status=0
  for m in ${ALICE_TIMING_ONLY:-runtime extension sample-tests}; do
    case $m in
      runtime) run "$r" runtime "${RUNTIME[@]}" || status=1 ;;
      extension) run "$r" extension "${EXTENSION[@]}" || status=1 ;;
      sample-tests) run "$r" sample-tests "${SAMPLES[@]}" || status=1 ;;
      *) die "ALICE_TIMING_ONLY: no module $m" ;;
    esac
  done
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ $status = 0 ]; then
    echo "timing-load: round $r passed in $(( $(date +%s) - t0 )) s (load average $load)"
  else
    failed_rounds=$((failed_rounds + 1))
    echo "timing-load: round $r FAILED in $(( $(date +%s) - t0 )) s (load average $load); logs: $WORK/round-$r"
    grep -h -A4 -E "✘|MethodSource" "$WORK/round-$r"/*/console.log | head -40 || true
  fi
done
stop_hogs

echo
echo "timing-load: per test class, over $ROUNDS rounds with $HOGS hog(s) ($(( $(date +%s) - start )) s):"
python3 - "$WORK/counts" <<'PY'
import collections, sys
c = collections.defaultdict(collections.Counter)
for line in open(sys.argv[1]):
    cls, outcome = line.split()
    c[cls][outcome] += 1
for cls in sorted(c):
    k = c[cls]
    print(f"  {cls:<60} {k['pass']:>4} passed {k['fail']:>3} failed {k['skip']:>3} skipped")
PY
echo "timing-load: $((ROUNDS - failed_rounds)) of $ROUNDS rounds passed"
[ $failed_rounds = 0 ]
