#!/usr/bin/env bash
# Median round trip of /bin/true in an ALICE container (create cgroup + spawn + wait + read usage +
# destroy), from a warm JVM, side by side with ProcessBuilder, unshare, bwrap and an OCI runtime
# (crun, and runc) running the same command. See ci/benchmarks/README.md.
#
# Usage (as root, from anywhere in the repository):
#   ci/benchmarks/roundtrip.sh
#   RUNS=2000 WARMUP=300 ci/benchmarks/roundtrip.sh
#
# Settings (environment):
#   RUNS=1000        timed runs per variant (at least 500)
#   WARMUP=200       untimed ALICE runs before each ALICE variant
#   TOOL_WARMUP=50   untimed runs before each external-tool variant
#   SHELL_RUNS=200   runs of each external tool timed from a bash loop as well (0: skip)
#   ORDER=interleaved  interleaved (rounds of one run per variant, shuffled) | blocks
#   OCI=both         crun | runc | both: which OCI runtime(s) to time
#   SKIP_BUILD=0     1: do not run Maven's package, use runtime/target/classes as it is
#   JAVA_OPTS=       extra JVM options for the harness
#   MIN_RUNS=500     lower it only to try the script quickly (e.g. MIN_RUNS=1 RUNS=20)
set -euo pipefail

RUNS=${RUNS:-1000}
WARMUP=${WARMUP:-200}
TOOL_WARMUP=${TOOL_WARMUP:-50}
SHELL_RUNS=${SHELL_RUNS:-200}
OCI=${OCI:-both}
ORDER=${ORDER:-interleaved}
SKIP_BUILD=${SKIP_BUILD:-0}
JAVA_OPTS=${JAVA_OPTS:-}

INVOCATION="RUNS=$RUNS WARMUP=$WARMUP TOOL_WARMUP=$TOOL_WARMUP SHELL_RUNS=$SHELL_RUNS ORDER=$ORDER OCI=$OCI SKIP_BUILD=$SKIP_BUILD $0${*:+ $*}"

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_init roundtrip
[[ "$RUNS" =~ ^[0-9]+$ ]] && [ "$RUNS" -ge "${MIN_RUNS:-500}" ] || die "RUNS must be a number >= 500 (got $RUNS)"
case "$OCI" in crun|runc|both) ;; *) die "OCI must be crun, runc or both (got $OCI)";; esac

# --- tools -----------------------------------------------------------------------------------------
tools=(bubblewrap:bwrap util-linux:unshare util-linux:nsenter busybox-static:dpkg openjdk-17-jdk-headless:javac maven:mvn)
[ "$OCI" = runc ] || tools+=(crun:crun)
[ "$OCI" = crun ] || tools+=(runc:runc)
bench_tools "${tools[@]}"
BUSYBOX=$(dpkg -L busybox-static | grep -m1 -E '/bin/busybox$')
[ -x "$BUSYBOX" ] || die "busybox-static is installed but $BUSYBOX is missing"

# --- runtime classes and classpath -----------------------------------------------------------------
PREFIX="bench-$$-"
NSDIR=$TMP/ns
NS_PINNED=0

oci_cleanup() {
    # OCI containers left by an interrupted run (crun/runc run deletes its container on exit).
    if command -v crun >/dev/null; then
        for id in $(crun list -q 2>/dev/null | grep "^$PREFIX"); do
            if [ "$NS_PINNED" = 1 ]; then nsenter --mount="$NSDIR/mnt" crun delete -f "$id"; else crun delete -f "$id"; fi
        done
    fi
    if command -v runc >/dev/null; then
        for id in $(runc list -q 2>/dev/null | grep "^$PREFIX"); do runc delete -f "$id"; done
    fi
    if [ "$NS_PINNED" = 1 ]; then
        umount "$NSDIR/mnt" 2>/dev/null
        umount "$NSDIR" 2>/dev/null
    fi
}
bench_on_exit oci_cleanup
bench_runtime_cp io/alicecontainer/native
mkdir -p "$TMP/classes"
javac --release 17 -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/src/RoundTrip.java"

# --- OCI bundle: a read-only rootfs holding only a static busybox as /bin/true ----------------------
BUNDLE=$TMP/bundle
mkdir -p "$BUNDLE/rootfs/bin" "$BUNDLE/rootfs/proc" "$BUNDLE/rootfs/dev" "$BUNDLE/rootfs/tmp"
cp "$BUSYBOX" "$BUNDLE/rootfs/bin/busybox"
ln -s busybox "$BUNDLE/rootfs/bin/true"
SPEC_TOOL=crun; [ "$OCI" = runc ] && SPEC_TOOL=runc
(cd "$BUNDLE" && "$SPEC_TOOL" spec)
# The default spec runs `sh` on a terminal: run /bin/true without one instead.
sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' "$BUNDLE/config.json"
grep -q '"terminal": false' "$BUNDLE/config.json" && grep -q '"/bin/true"' "$BUNDLE/config.json" \
    || die "could not patch $BUNDLE/config.json (unexpected '$SPEC_TOOL spec' output)"

# --- which OCI runtime can run here -----------------------------------------------------------------
JAVA_OCI=()
OCI_NOTES=()
SHELL_OCI=()      # "label|command prefix" for the shell loop
if [ "$OCI" != runc ]; then
    if err=$(crun run --bundle "$BUNDLE" "${PREFIX}probe1" 2>&1); then
        JAVA_OCI+=(-Doci.cmd=crun -Doci.bundle="$BUNDLE" "-Doci.label=crun run")
        SHELL_OCI+=("crun run|crun")
        OCI_NOTES+=("crun: runs directly on this host")
    else
        OCI_NOTES+=("crun: \`crun run\` refuses this host: ${err//$'\n'/ }")
        if err2=$(crun --cgroup-manager=disabled run --bundle "$BUNDLE" "${PREFIX}probe2" 2>&1); then
            JAVA_OCI+=(-Doci.cmd=$'crun\t--cgroup-manager=disabled' -Doci.bundle="$BUNDLE" "-Doci.label=crun --cgroup-manager=disabled run")
            SHELL_OCI+=("crun --cgroup-manager=disabled run|crun --cgroup-manager=disabled")
            OCI_NOTES+=("crun: timed with --cgroup-manager=disabled (no cgroup for the container)")
        else
            OCI_NOTES+=("crun: \`crun --cgroup-manager=disabled run\` refuses it too: ${err2//$'\n'/ }")
            # crun checks the hybrid layout before it looks at the cgroup manager: it accepts a hybrid
            # host only when /sys/fs/cgroup/unified/cgroup.controllers is empty. A mount namespace,
            # pinned to a file, where that file is bind-mounted over by an empty one makes crun see a
            # supported hybrid host; each run enters it with nsenter (timed on its own below).
            mkdir -p "$NSDIR"
            mount --bind "$NSDIR" "$NSDIR"
            mount --make-private "$NSDIR"
            touch "$NSDIR/mnt" "$NSDIR/empty"
            NS_PINNED=1
            if unshare --mount="$NSDIR/mnt" --propagation private \
                    mount --bind "$NSDIR/empty" /sys/fs/cgroup/unified/cgroup.controllers 2>"$TMP/ns.err" \
                && err3=$(nsenter --mount="$NSDIR/mnt" crun run --bundle "$BUNDLE" "${PREFIX}probe3" 2>&1); then
                JAVA_OCI+=(-Doci.cmd=$'nsenter\t--mount='"$NSDIR/mnt"$'\tcrun' -Doci.bundle="$BUNDLE"
                    "-Doci.label=nsenter --mount=NS crun run (empty v2 cgroup.controllers)")
                JAVA_OCI+=(-Dwrap.cmd=$'nsenter\t--mount='"$NSDIR/mnt" "-Dwrap.label=nsenter --mount=NS /bin/true")
                SHELL_OCI+=("nsenter --mount=NS crun run|nsenter --mount=$NSDIR/mnt crun")
                OCI_NOTES+=("crun: timed inside a pinned mount namespace whose /sys/fs/cgroup/unified/cgroup.controllers is an empty file (entered with nsenter per run; the nsenter row shows what that wrapper costs by itself)")
            else
                OCI_NOTES+=("crun: cannot run here even in a mount namespace with an empty v2 cgroup.controllers: $(cat "$TMP/ns.err") ${err3:-}")
                [ "$OCI" = crun ] && OCI=runc-fallback
            fi
        fi
    fi
fi
if [ "$OCI" = both ] || [ "$OCI" = runc ] || [ "$OCI" = runc-fallback ]; then
    command -v runc >/dev/null || { apt-get install -y -qq runc >&2; }
    if err=$(runc run --bundle "$BUNDLE" "${PREFIX}probe4" 2>&1); then
        key=oci; [ ${#JAVA_OCI[@]} -gt 0 ] && key=oci2
        JAVA_OCI+=(-D$key.cmd=runc -D$key.bundle="$BUNDLE" "-D$key.label=runc run")
        SHELL_OCI+=("runc run|runc")
        [ "$OCI" = runc-fallback ] && OCI_NOTES+=("runc: used as the fallback because crun cannot run here")
        OCI_NOTES+=("runc: runs directly on this host")
    else
        OCI_NOTES+=("runc: \`runc run\` fails here: ${err//$'\n'/ }")
    fi
fi

# --- the machine -----------------------------------------------------------------------------------
JAVA_CMD=(java $JAVA_OPTS -Druns="$RUNS" -Dallow.few=$([ "$RUNS" -lt 500 ] && echo true || echo false) -Dwarmup="$WARMUP" -Dtool.warmup="$TOOL_WARMUP" -Dorder="$ORDER" -Dprefix="$PREFIX"
    "${JAVA_OCI[@]}" -cp "$TMP/classes:$CP" RoundTrip)
echo "# ALICE round trip of /bin/true vs. other ways to run it ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "command:  $INVOCATION"
echo "harness:  java ${JAVA_OPTS:+$JAVA_OPTS }-Druns=$RUNS -Dwarmup=$WARMUP -Dtool.warmup=$TOOL_WARMUP -Dorder=$ORDER ... -cp <runtime classes + deps> RoundTrip"
echo "runtime:  $BUILD_NOTE"
echo "machine:  nproc=$(nproc), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:     $(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
echo "cgroups:  $(stat -fc %T /sys/fs/cgroup)$( [ -e /sys/fs/cgroup/unified/cgroup.controllers ] && echo " (hybrid: v1 controllers + cgroup2 at /sys/fs/cgroup/unified, whose cgroup.controllers lists: $(cat /sys/fs/cgroup/unified/cgroup.controllers))")"
echo "tools:    $(unshare --version | head -1); bwrap $(bwrap --version | awk '{print $2}'); $(command -v crun >/dev/null && crun --version | head -1); $(command -v runc >/dev/null && runc --version | head -1)"
for n in "${OCI_NOTES[@]}"; do echo "oci:      $n"; done
echo

"${JAVA_CMD[@]}"

# --- whole-process cost from a shell (bash fork+exec, no JVM) ---------------------------------------
if [ "$SHELL_RUNS" -gt 0 ]; then
    echo
    echo "Whole-process cost from a bash loop (mean of $SHELL_RUNS runs, after 20 untimed ones):"
    shell_time() {   # label, command...
        local label=$1; shift
        local i s e
        for ((i = 0; i < 20; i++)); do "$@" "$i" >/dev/null 2>&1 || die "$label failed"; done
        s=$(date +%s%N)
        for ((i = 0; i < SHELL_RUNS; i++)); do "$@" "$i" >/dev/null 2>&1 || die "$label failed"; done
        e=$(date +%s%N)
        awk -v l="$label" -v d="$((e - s))" -v n="$SHELL_RUNS" 'BEGIN { printf "  %-46s %8.3f ms\n", l, d / n / 1e6 }'
    }
    # Each runner takes the loop index as its last argument (a unique id for the OCI runtimes).
    r_true() { /bin/true; }
    r_unshare() { unshare --fork --pid --mount --uts --ipc --mount-proc /bin/true; }
    r_bwrap() { bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev /bin/true; }
    shell_time "/bin/true" r_true
    shell_time "unshare --fork --pid --mount --uts --ipc ..." r_unshare
    shell_time "bwrap --unshare-all ..." r_bwrap
    n=0
    for entry in "${SHELL_OCI[@]}"; do
        label=${entry%%|*}
        read -r -a prefix <<<"${entry#*|}"
        n=$((n + 1))
        eval "r_oci$n() { ${prefix[*]} run --bundle '$BUNDLE' '${PREFIX}sh$n-'\"\$1\"; }"
        shell_time "$label" "r_oci$n"
    done
fi

# --- leftovers -------------------------------------------------------------------------------------
echo
left=$(find /sys/fs/cgroup -type d -name "*${PREFIX}*" 2>/dev/null || true)
if [ -n "$left" ]; then
    echo "LEFTOVER cgroups of this run:"; echo "$left"
    die "the benchmark left cgroups behind"
fi
busy=$(find /sys/fs/cgroup -path '*/alice/*' -type d 2>/dev/null || true)
if [ -n "$busy" ]; then
    echo "cgroups: none of this run's left; other alice/ children exist (not this run's): $(echo "$busy" | wc -l)"
else
    echo "cgroups: none left (only the empty alice/ parents remain)"
fi
