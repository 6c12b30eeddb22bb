#!/usr/bin/env bash
# What a child JVM's options and class-data sharing do to its start-up: one trivial JUnit test run
# through the launcher in a fresh JVM (TrivialRun), on the extension's test class path, per set of
# options, rounds in a shuffled order; median wall, CPU (user+sys) and max RSS per row.
# See ci/benchmarks/README.md ("Child JVM options and class-data sharing").
#
# Usage (from anywhere in the repository; root is not needed but common.sh asks for it):
#   ci/benchmarks/child-options.sh
#   REPS=30 JAVA=<a JDK 25>/bin/java ci/benchmarks/child-options.sh
#
# Settings (environment):
#   REPS=15     runs per row
#   JAVA=java   the JVM to measure (JDK 25 adds an AOT-cache row)
#   JACOCO=1    0: skip the JaCoCo rows (they need org.jacoco.agent 0.8.15 runtime from Maven Central)
set -euo pipefail
REPS=${REPS:-15}
JAVA=${JAVA:-java}
JACOCO=${JACOCO:-1}
INVOCATION="REPS=$REPS JAVA=$JAVA JACOCO=$JACOCO $0"
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init child-options
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive number (got $REPS)"
bench_tools time:dpkg openjdk-17-jdk-headless:javac maven:mvn
bench_private_repo

cd "$REPO"
log "the extension's test class path (mvn dependency:build-classpath, private repository)"
mvn -B -ntp -q "${MVN_REPO[@]}" -pl extension -am dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$TMP/cp.txt" >"$TMP/cp.log" 2>&1 || { cat "$TMP/cp.log" >&2; die "dependency:build-classpath failed"; }
CP=$(tr ':' '\n' <"$TMP/cp.txt" | grep -v '/io/alicecontainer/' | grep . | paste -sd:)   # JUnit and the libraries: jars only
mkdir -p "$TMP/classes"
javac -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/child-options/TrivialRun.java" "$HERE/child-options/TrivialTest.java"
jar cf "$TMP/trivial.jar" -C "$TMP/classes" .
RUNCP="$CP:$TMP/trivial.jar"   # all jars: an archive can hold every class

# The extension's archive, made as it makes it: a class list of one run, then -Xshare:dump.
"$JAVA" -XX:DumpLoadedClassList="$TMP/classes.list" -cp "$RUNCP" TrivialRun
"$JAVA" -Xshare:dump -XX:SharedClassListFile="$TMP/classes.list" -XX:SharedArchiveFile="$TMP/app.jsa" -cp "$RUNCP" >"$TMP/dump.log" 2>&1 \
    || { cat "$TMP/dump.log" >&2; die "-Xshare:dump failed"; }
MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

C1="-XX:TieredStopAtLevel=1"
declare -A OPTS=(
    [jvm-defaults]=""
    [c1]="$C1"
    [c1-serial]="$C1 -XX:+UseSerialGC"
    [c1-serial-noperf]="$C1 -XX:+UseSerialGC -XX:-UsePerfData"
    [cds]="-XX:SharedArchiveFile=$TMP/app.jsa"
    [c1-cds]="$C1 -XX:SharedArchiveFile=$TMP/app.jsa"
    [c1-serial-cds]="$C1 -XX:+UseSerialGC -XX:SharedArchiveFile=$TMP/app.jsa"
    [c1-serial-noperf-cds]="$C1 -XX:+UseSerialGC -XX:-UsePerfData -XX:SharedArchiveFile=$TMP/app.jsa"
    [c1-serial-cds-cicount1]="$C1 -XX:+UseSerialGC -XX:CICompilerCount=1 -XX:SharedArchiveFile=$TMP/app.jsa"
    # ChildDefaults: a one-test child (C1 only) and a whole class's child (C2 too), both with scaled thresholds
    [c1-scaled-cds]="$C1 -XX:CompileThresholdScaling=3 -XX:SharedArchiveFile=$TMP/app.jsa"
    [c2-scaled-cds]="-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=3 -XX:SharedArchiveFile=$TMP/app.jsa"
)
if [ "$MAJOR" -ge 25 ]; then
    "$JAVA" -XX:AOTCacheOutput="$TMP/app.aot" -cp "$RUNCP" TrivialRun >"$TMP/aot.log" 2>&1 || { cat "$TMP/aot.log" >&2; die "AOT cache training failed"; }
    OPTS[c1-serial-aot]="$C1 -XX:+UseSerialGC -XX:AOTCache=$TMP/app.aot"
fi
if [ "$JACOCO" = 1 ]; then
    AGENT=$M2/org/jacoco/org.jacoco.agent/0.8.15/org.jacoco.agent-0.8.15-runtime.jar
    [ -f "$AGENT" ] || (cd "$TMP" && mvn -B -ntp -q "${MVN_REPO[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get \
        -Dartifact=org.jacoco:org.jacoco.agent:0.8.15:jar:runtime >"$TMP/jacoco.log" 2>&1) \
        || { cat "$TMP/jacoco.log" >&2; die "cannot get the JaCoCo agent"; }
    # as the extension does for children with an agent: the archive made with java.instrument added
    "$JAVA" -Xshare:dump --add-modules=java.instrument -XX:SharedClassListFile="$TMP/classes.list" \
        -XX:SharedArchiveFile="$TMP/app-agent.jsa" -cp "$RUNCP" >"$TMP/dump-agent.log" 2>&1 \
        || { cat "$TMP/dump-agent.log" >&2; die "-Xshare:dump for agents failed"; }
    AGENT_CDS="$C1 -XX:+UseSerialGC -XX:SharedArchiveFile=$TMP/app-agent.jsa"
    OPTS[c1-serial-cds-jacoco]="$AGENT_CDS -javaagent:$AGENT=destfile=$TMP/jacoco.exec"
    OPTS[c1-serial-cds-jacoco-nojunit]="$AGENT_CDS -javaagent:$AGENT=destfile=$TMP/jacoco.exec,excludes=org.junit.*:org.opentest4j.*:org.apiguardian.*"
fi

: >"$TMP/runs.tsv"
for rep in $(seq 1 "$REPS"); do
    for k in $(printf '%s\n' "${!OPTS[@]}" | shuf); do
        # shellcheck disable=SC2086
        /usr/bin/time -f '%e %U %S %M' -o "$TMP/t" "$JAVA" ${OPTS[$k]} -cp "$RUNCP" TrivialRun >"$TMP/out" 2>&1 \
            || { cat "$TMP/out" >&2; die "row $k failed"; }
        grep -qi 'warning\|error' "$TMP/out" && { cat "$TMP/out" >&2; die "row $k printed a warning"; }
        read -r w u s m <"$TMP/t"
        printf '%s\t%s\t%s\t%s\n' "$k" "$w" "$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')" "$m" >>"$TMP/runs.tsv"
    done
done

echo "# Child JVM options and class-data sharing ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
bench_machine_lines
echo "measured: $JAVA"
echo "runs:     $REPS per row, rows shuffled per round; a fresh JVM runs one trivial JUnit test through the launcher"
echo
python3 - "$TMP/runs.tsv" "${OPTS[@]/#/}" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(lambda: ([], [], []))
for line in open(sys.argv[1]):
    k, w, c, m = line.rstrip("\n").split("\t")
    rows[k][0].append(float(w)); rows[k][1].append(float(c)); rows[k][2].append(float(m) / 1024)
print("| row | median wall s | median CPU s | median max RSS MiB |")
print("|---|--:|--:|--:|")
for k in sorted(rows, key=lambda k: statistics.median(rows[k][1]), reverse=True):
    w, c, m = rows[k]
    print("| %s | %.3f | %.3f | %.0f |" % (k, statistics.median(w), statistics.median(c), statistics.median(m)))
PY
echo
echo "rows: c1 = $C1; c2 = -XX:TieredStopAtLevel=4 (the JVM's default); scaled = -XX:CompileThresholdScaling=3;"
echo "serial = -XX:+UseSerialGC; noperf = -XX:-UsePerfData; cds = -XX:SharedArchiveFile of a static archive"
echo "(-XX:DumpLoadedClassList of one run, -Xshare:dump); aot = JDK 25's -XX:AOTCache (-XX:AOTCacheOutput of one run);"
echo "jacoco = the JaCoCo 0.8.15 agent as jacoco-maven-plugin attaches it; nojunit = with excludes=org.junit.*:org.opentest4j.*:org.apiguardian.*"
