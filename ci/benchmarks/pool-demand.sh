#!/usr/bin/env bash
# What the pool's boots for tests that never come cost, in CPU: the same throwaway projects run
# with the extension built from two revisions (BASE, default: where this branch left main; HEAD),
# rounds interleaved, the CPU (user+sys of mvn and all it waited for: Surefire's forks and their
# child JVMs, from /usr/bin/time) and wall time of each `mvn -o test`. See ci/benchmarks/README.md
# ("The pool boots only for tests still to come").
#
# Usage (as root, from anywhere in the repository; HEAD must be committed):
#   ci/benchmarks/pool-demand.sh
#   ROUNDS=5 BASE=main ci/benchmarks/pool-demand.sh
#
# Settings (environment):
#   ROUNDS=3     timed rounds; each runs every project with both revisions, in a shuffled order
#   BASE=<rev>   the revision compared with HEAD (default: git merge-base HEAD main)
#   KEEP=0       1: keep the temp dir
#
# The projects (the extension's defaults: pool on, CDS archive on, method granularity):
#   one-class  one class of 20 trivial @Isolated tests, one Surefire fork
#   per-class  20 classes of one trivial @Isolated test each, a Surefire fork per class
#              (reuseForks=false, as Apache Commons IO's build)
# Each revision is installed into a private Maven repository of its own, seeded from
# ~/.m2/repository (the shared one is never written).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
N=20
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init pool-demand
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number (got $ROUNDS)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
cd "$REPO"
BASE=${BASE:-$(git merge-base HEAD main)}
declare -A REV=([base]=$(git rev-parse --short "$BASE") [head]=$(git rev-parse --short HEAD))
INVOCATION="ROUNDS=$ROUNDS BASE=$BASE $0"

# --- the two revisions, each into its own repository ------------------------------------------------
bench_private_repo
for r in base head; do
    mkdir -p "$TMP/src-$r"
    git -C "$REPO" archive "${REV[$r]}" | tar -x -C "$TMP/src-$r"
    if [ "$r" = base ]; then cp -a "$M2" "$TMP/m2-base"; else mv "$M2" "$TMP/m2-head"; fi
    log "installing ${REV[$r]} ($r) into its private repository"
    (cd "$TMP/src-$r" && mvn -B -ntp -q -Dmaven.repo.local="$TMP/m2-$r" -DskipTests install -pl runtime,extension -am \
        >"$TMP/install-$r.log" 2>&1) || { tail -40 "$TMP/install-$r.log" >&2; die "mvn install of ${REV[$r]} failed"; }
done

# --- the projects, one copy per revision (each keeps its own CDS archive under target/) ------------
methods() { local i; for i in $(seq -w 1 $N); do printf '    @Test\n    void test%s() {\n        assertEquals(2, 1 + 1);\n    }\n\n' "$i"; done; }
header='package bench;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport io.alicecontainer.junit.Isolated;\nimport org.junit.jupiter.api.Test;\n\n'
for r in base head; do
    d=$TMP/one-class-$r; mkdir -p "$d/src/test/java/bench"; cp "$HERE/isolation/pom.xml" "$d/"
    { printf "$header"; printf '@Isolated\nclass IsolatedTest {\n'; methods; printf '}\n'; } >"$d/src/test/java/bench/IsolatedTest.java"
    d=$TMP/per-class-$r; mkdir -p "$d/src/test/java/bench"; cp "$HERE/isolation/pom.xml" "$d/"
    for i in $(seq -w 1 $N); do
        { printf "$header"; printf '@Isolated\nclass Fork%sTest {\n    @Test\n    void test() {\n        assertEquals(2, 1 + 1);\n    }\n}\n' "$i"; } \
            >"$d/src/test/java/bench/Fork${i}Test.java"
    done
    for p in one-class per-class; do
        (cd "$TMP/$p-$r" && mvn -o -B -ntp -q -Dmaven.repo.local="$TMP/m2-$r" test-compile >"$TMP/compile-$p-$r.log" 2>&1) \
            || { cat "$TMP/compile-$p-$r.log" >&2; die "$p ($r) does not compile"; }
    done
done

run() { # project revision round
    local p=$1 r=$2 n=$3 args=(-o -B -ntp -Dmaven.repo.local="$TMP/m2-$2" test) out=$TMP/$1-$2-$3
    [ "$p" = per-class ] && args+=(-Dbench.reuseForks=false)
    rm -rf "$TMP/$p-$r/target/surefire-reports" "$TMP/$p-$r/target/alice-reports"
    (cd "$TMP/$p-$r" && /usr/bin/time -f '%U %S %e' -o "$out.time" mvn "${args[@]}" >"$out.log" 2>&1) \
        || { tail -40 "$out.log" >&2; die "$p ($r) failed"; }
    grep -q "Tests run: $N, Failures: 0, Errors: 0, Skipped: 0" "$out.log" || { tail -40 "$out.log" >&2; die "$p ($r): not $N passing tests"; }
    local pooled
    pooled=$(cat "$TMP/$p-$r"/target/surefire-reports/*-output.txt 2>/dev/null | grep -o "alice.container.pooled=true" | wc -l || true)
    [ "$n" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\n' "$p" "$r" "$n" "$(awk '{ printf "%.2f\t%.2f", $1 + $2, $3 }' "$out.time")" "$pooled" >>"$TMP/runs.tsv"
}

log "warm-up: one untimed run of each (the CDS archives are made here)"
for p in one-class per-class; do for r in base head; do run "$p" "$r" 0; done; done
: >"$TMP/runs.tsv"
for n in $(seq 1 "$ROUNDS"); do
    order=$(printf '%s\n' one-class:base one-class:head per-class:base per-class:head | shuf | tr '\n' ' ')
    log "round $n/$ROUNDS: $order"
    for k in $order; do run "${k%%:*}" "${k#*:}" "$n"; done
done

{
    echo "# The pool boots only for tests still to come ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo "command:  $INVOCATION"
    echo "revisions: base ${REV[base]}, head ${REV[head]}"
    bench_machine_lines
    echo
    echo "project    rev   CPU s (user+sys) per round          median   wall s median   pooled tests (median)"
    for p in one-class per-class; do for r in base head; do
        awk -F'\t' -v p="$p" -v r="$r" '$1 == p && $2 == r { c[++n] = $4; w[n] = $5; k[n] = $6; s = s sprintf("%7.2f", $4) }
            function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
            END { printf "%-10s %-5s %-35s %7.2f   %13.2f   %5d\n", p, r, s, med(c, n), med(w, n), med(k, n) }' "$TMP/runs.tsv"
    done; done
} | tee "$TMP/report.txt"
