#!/usr/bin/env bash
# Builds a user's project (ci/compat/consumer: isolated, parameterized and plain tests, run by
# Surefire and by Failsafe) against the JUnit, Surefire/Failsafe and JDK versions users have,
# with the extension just built. Each cell checks: the build passes, Surefire ran 4 tests and
# Failsafe 4, the HTML report was written by the extension's listener under both, and the
# user's dependency tree holds one JUnit version only (the BOM's).
#   ci/compat-matrix.sh           the whole matrix (15 cells, ~1 min each on an idle machine)
#   ci/compat-matrix.sh --quick   2 cells: the oldest JUnit and Surefire on JDK 17, the newest on JDK 25 (CI)
# Needs root (the tests run in containers). Prints a Markdown table (also in target/compat/result.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/compat
jdk17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
jdk25=${JDK25:-$(ls -d /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* 2>/dev/null | head -1 || true)}

# cells: JUnit BOM, Surefire = Failsafe, JDK
cells=(
  "5.10.5 3.5.4 17" "5.11.4 3.5.4 17" "5.12.2 3.5.4 17" "5.13.4 3.5.4 17" "5.14.4 3.5.4 17" "6.0.3 3.5.4 17"
  "5.14.4 3.0.0 17" "5.14.4 3.1.2 17" "5.14.4 3.2.5 17" "5.14.4 3.3.1 17" "5.14.4 3.4.0 17"
  "5.10.5 3.0.0 17" "5.10.5 3.5.4 25" "5.14.4 3.5.4 25" "6.0.3 3.5.4 25"
)
[ "${1:-}" = --quick ] && cells=("5.10.5 3.0.0 17" "6.0.3 3.5.4 25")

rm -rf "$work" && mkdir -p "$work"
# A private local repository: the artifacts built here must never reach the shared one
# (~/.m2), where other builds would pick them up. Seeded from it to spare downloads.
m2=$work/m2
if [ -d "$HOME/.m2/repository" ]; then
  cp -r "$HOME/.m2/repository" "$m2"
  rm -rf "$m2/io/alicecontainer"
fi
echo "== building the extension into $work/repo"
mvn -B -ntp -q -pl bom,runtime,extension -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -Dmaven.repo.local="$m2" deploy -DaltDeploymentRepository="alice-build::default::file://$work/repo"
rm -rf "$m2/io/alicecontainer"

table=$work/result.md
echo "| JUnit | Surefire / Failsafe | JDK | result | Surefire tests | Failsafe tests | HTML report | JUnit versions in the user's tree |" > "$table"
echo "|---|---|---|---|---|---|---|---|" >> "$table"
failed=0
for cell in "${cells[@]}"; do
  read -r junit surefire jdk <<<"$cell"
  home=$jdk17; [ "$jdk" = 25 ] && home=$jdk25
  if [ -z "$home" ] || [ ! -x "$home/bin/java" ]; then
    echo "| $junit | $surefire | $jdk | not run: no JDK $jdk | | | | |" >> "$table"; continue
  fi
  dir=$work/cell-$junit-$surefire-$jdk
  cp -r ci/compat/consumer "$dir"
  args=(-B -ntp -f "$dir/pom.xml" -Dmaven.repo.local="$m2" -Dalice.repo="file://$work/repo"
        -Djunit.version="$junit" -Dsurefire.version="$surefire")
  start=$(date +%s)
  result=pass
  JAVA_HOME=$home mvn "${args[@]}" verify > "$dir/build.log" 2>&1 || result=FAIL
  secs=$(( $(date +%s) - start ))
  count() { # count <reports dir>: tests run, and failures+errors
    python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = 0
for p in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    r = ET.parse(p).getroot(); t += int(r.get("tests", 0)); f += int(r.get("failures", 0)) + int(r.get("errors", 0))
print("%d run, %d failed" % (t, f))
PY
  }
  sf=$(count "$dir/target/surefire-reports"); fs=$(count "$dir/target/failsafe-reports")
  [ "$sf" = "4 run, 0 failed" ] && [ "$fs" = "4 run, 0 failed" ] || result=FAIL
  html=no
  [ -s "$dir/target/alice-reports/index.html" ] && [ -s "$dir/target/alice-reports-it/index.html" ] && html=yes
  [ "$html" = yes ] || result=FAIL
  # what the user's test class path gets: JUnit artifacts and their versions
  JAVA_HOME=$home mvn "${args[@]}" -q dependency:list -DincludeGroupIds=org.junit.jupiter,org.junit.platform \
    -DoutputFile="$dir/junit-deps.txt" > /dev/null 2>&1 || true
  versions=$(grep -o 'org\.junit\.[a-z]*:[a-z-]*:jar:[^:]*' "$dir/junit-deps.txt" 2>/dev/null | awk -F: '{print $4}' | sort -u | tr '\n' ' ')
  # exactly the BOM's: Jupiter 5.A.B with Platform 1.A.B, or 6.x for both
  case $junit in 5.*) want="1.${junit#5.} $junit " ;; *) want="$junit " ;; esac
  [ "$versions" = "$want" ] || result=FAIL
  [ "$result" = pass ] || failed=$((failed + 1))
  echo "| $junit | $surefire | $jdk | $result (${secs}s) | $sf | $fs | $html | ${versions% } |" | tee -a "$table"
done
echo
cat "$table"
[ "$failed" = 0 ] || { echo "== $failed cells FAILED (logs: $work/cell-*/build.log)" >&2; exit 1; }
echo "== every cell passed"
