#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# launchers.sh - one isolated sample class under each way tests are launched, for real: the child
# JVM must find its class path wherever the test was loaded from (io.alicecontainer.junit.internal.
# TestClassPath). Run as root after a build or from a clean tree (it compiles what is missing).
#   console-jar     java -jar junit-platform-console-standalone.jar execute -cp <tests> ...
#                   (the tests in the ConsoleLauncher's own URLClassLoader)
#   console-cp      java -cp <tests + launcher> org.junit.platform.console.ConsoleLauncher ...
#   argfile         the same from an @argfile, as IDEs launch long class paths
#   custom-loader   the Launcher API from a URLClassLoader below the platform loader (the context
#                   class loader, where the Launcher finds its engines), the test a Class object
#                   (ci/launchers/CustomLoaderLaunch.java)
#   surefire-isolated  mvn ... -Dsurefire.useSystemClassLoader=false (Surefire's isolated loader)
#   surefire-plain     mvn ... -Dsurefire.useManifestOnlyJar=false (the class path on the command line)
# Surefire's default (a manifest-only booter jar) is what `mvn verify` runs every day.
#
# Usage: ci/launchers.sh [--no-surefire]
# Environment: ALICE_LAUNCHERS_CLASS  the sample class (default io.alicecontainer.samples.NamespaceIsolationTests)
# Prints one PASS/FAIL line per launcher; exits 0 only when all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
surefire=1
[ "${1:-}" = --no-surefire ] && surefire=0
CLASS=${ALICE_LAUNCHERS_CLASS:-io.alicecontainer.samples.NamespaceIsolationTests}
WORK=$ROOT/sample-tests/target/launchers
rm -rf "$WORK"
mkdir -p "$WORK"
die() { echo "launchers: error: $*" >&2; exit 2; }
mvn_quiet() { mvn -B -ntp -q "$@" > "$WORK/mvn.log" 2>&1 || { cat "$WORK/mvn.log"; die "mvn $* failed"; }; }

echo "launchers: compiling runtime, extension and samples (no tests run)"
mvn_quiet -pl sample-tests -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.classpath" -Dmdep.includeScope=test
platform=$(tr ':' '\n' < "$WORK/deps.classpath" | sed -n 's|.*/junit-platform-engine-\([0-9][^/]*\)\.jar$|\1|p' | head -1)
[ -n "$platform" ] || die "no junit-platform-engine on the samples' class path"
mvn_quiet -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" -DoutputDirectory="$WORK"
standalone=$WORK/junit-platform-console-standalone-$platform.jar
[ -f "$standalone" ] || die "cannot fetch junit-platform-console-standalone $platform"

tests=$ROOT/sample-tests/target/test-classes
full="$tests:$(cat "$WORK/deps.classpath")"
# The standalone jar brings JUnit itself: the ConsoleLauncher's -cp gets the rest only.
nojunit="$tests:$(tr ':' '\n' < "$WORK/deps.classpath" | grep -vE '/(org/junit|org/opentest4j|org/apiguardian)/' | paste -sd: -)"
console=(execute --disable-banner --disable-ansi-colors --details=summary --fail-if-no-tests --select-class "$CLASS")

results=()
check() {   # check NAME COMMAND...: runs it in sample-tests/ (where Maven runs the samples), records PASS/FAIL
  local name=$1 status=0
  shift
  echo "launchers: == $name"
  (cd "$ROOT/sample-tests" && "$@") > "$WORK/$name.log" 2>&1 || status=$?
  tail -n 25 "$WORK/$name.log"
  if [ $status = 0 ] && ! grep -q "ClassNotFoundException" "$WORK/$name.log"; then results+=("PASS $name"); else results+=("FAIL $name (exit $status; $WORK/$name.log)"); fi
}

check console-jar java -jar "$standalone" "${console[@]}" -cp "$nojunit"
check console-cp java -cp "$nojunit:$standalone" org.junit.platform.console.ConsoleLauncher "${console[@]}"
printf '%s\n' -cp "\"$nojunit:$standalone\"" org.junit.platform.console.ConsoleLauncher "${console[@]}" > "$WORK/args"
check argfile java "@$WORK/args"
check custom-loader java "$ROOT/ci/launchers/CustomLoaderLaunch.java" "$full" "$CLASS"
if [ $surefire = 1 ]; then
  sf=(verify -pl sample-tests -am "-Dtest=$CLASS" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true)
  check surefire-isolated bash -c 'cd .. && mvn -B -ntp -q "$@"' _ "${sf[@]}" -Dsurefire.useSystemClassLoader=false
  check surefire-plain bash -c 'cd .. && mvn -B -ntp -q "$@"' _ "${sf[@]}" -Dsurefire.useManifestOnlyJar=false
fi

echo
printf 'launchers: %s\n' "${results[@]}"
for r in "${results[@]}"; do [[ $r == PASS* ]] || exit 1; done
