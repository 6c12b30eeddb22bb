# The one preamble of the benchmark scripts (roundtrip, psi, scheduler, iouring, isolation):
# sourced, not run. It gives them the same logging, root check, tools, temp dir and clean-up,
# runtime class path, private Maven repository and header lines.
#
#   . "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#   bench_init NAME                 log/die as [NAME], HERE, REPO, root check, TMP (removed on exit)
#   bench_on_exit FUNCTION          runs FUNCTION on exit, before TMP is removed; it may set BENCH_RC
#   bench_tools PKG:CMD ...         apt-get installs PKG where CMD is missing (PKG:dpkg checks dpkg)
#   bench_runtime_cp MARKER [GOAL]  builds the runtime (package or compile; SKIP_BUILD=1 skips it),
#                                   snapshots its classes into TMP, sets CP and BUILD_NOTE; MARKER is a
#                                   package directory that must be there (e.g. io/alicecontainer/psi)
#   bench_private_repo              M2 = a private Maven repository under TMP, seeded from the user's
#                                   (M2_SEED, default ~/.m2/repository); MVN_REPO=(-Dmaven.repo.local=...)
#   bench_install_modules           mvn install of runtime and extension into M2 only; sets BUILD_NOTE
#   bench_machine_lines             the machine:, java: and cgroups: lines of a report
#
# The scripts keep their own settings, checks and reports; only what they all repeated lives here.

bench_init() {
    BENCH_NAME=$1
    HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
    REPO=$(cd "$HERE/../.." && pwd)
    [ -f "$REPO/runtime/pom.xml" ] || die "cannot find runtime/pom.xml above $HERE"
    [ "$(id -u)" = 0 ] || die "run as root: containers need CAP_SYS_ADMIN and cgroup write access"
    TMP=$(mktemp -d "/tmp/alice-$BENCH_NAME.XXXXXX")
    BENCH_EXIT_HOOKS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

log() { printf '[%s] %s\n' "${BENCH_NAME:-bench}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; exit 1; }

bench_on_exit() { BENCH_EXIT_HOOKS+=("$1"); }

bench_cleanup() {
    BENCH_RC=$?
    set +e
    local h
    for h in "${BENCH_EXIT_HOOKS[@]}"; do "$h"; done
    if [ "${KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$BENCH_RC"
}

bench_tools() {
    local missing=() spec pkg cmd
    for spec in "$@"; do
        pkg=${spec%%:*}; cmd=${spec#*:}
        if [ "$cmd" = dpkg ]; then dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
        else command -v "$cmd" >/dev/null || missing+=("$pkg"); fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
}

bench_runtime_cp() {
    local marker=$1 goal=${2:-package} classes=$REPO/runtime/target/classes
    cd "$REPO"
    if [ "${SKIP_BUILD:-0}" = 1 ] && [ -d "$classes/$marker" ]; then
        log "SKIP_BUILD=1: using $classes as it is"
        BUILD_NOTE="runtime/target/classes as found (SKIP_BUILD=1)"
    else
        local build=(mvn -q -DskipTests -pl runtime package)
        [ "$goal" = compile ] && build=(mvn -q -pl runtime compile)
        log "building the runtime: ${build[*]}"
        if timeout 300 "${build[@]}" >"$TMP/build.log" 2>&1; then
            BUILD_NOTE="built with ${build[*]}"
        elif [ -d "$classes/$marker" ]; then
            tail -20 "$TMP/build.log" >&2
            log "WARNING: the build failed; benchmarking the classes already in runtime/target/classes"
            BUILD_NOTE="BUILD FAILED, stale runtime/target/classes used"
        else
            cat "$TMP/build.log" >&2
            die "the runtime does not build and runtime/target/classes has no $marker"
        fi
    fi
    timeout 300 mvn -q -pl runtime dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$TMP/cp.txt" \
        >"$TMP/cp.log" 2>&1 || { cat "$TMP/cp.log" >&2; die "mvn dependency:build-classpath failed"; }
    # A snapshot of the classes (and the spawn shim inside them): other builds in the same work
    # tree (mvn clean, test runs) must not change them under the running harness.
    cp -a "$classes" "$TMP/runtime-classes"
    [ -d "$TMP/runtime-classes/$marker" ] || die "runtime/target/classes has no $marker: was it built?"
    CP="$TMP/runtime-classes:$(cat "$TMP/cp.txt")"
    BUILD_NOTE="$BUILD_NOTE (commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$REPO" diff --quiet HEAD -- runtime 2>/dev/null || echo ', runtime/ has uncommitted changes'))"
}

bench_private_repo() {
    local seed=${M2_SEED:-$HOME/.m2/repository}
    M2=$TMP/m2
    mkdir -p "$M2"
    if [ -d "$seed" ]; then
        log "seeding a private Maven repository from $seed (the shared one is never written)"
        cp -a "$seed/." "$M2/"
    fi
    MVN_REPO=(-Dmaven.repo.local="$M2")
}

bench_install_modules() {
    cd "$REPO"
    local commit dirty
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    dirty=$(git status --porcelain -- runtime extension pom.xml 2>/dev/null | head -1)
    log "installing the modules into $M2: mvn -B -ntp -q -DskipTests install -pl runtime,extension -am"
    mvn -B -ntp -q "${MVN_REPO[@]}" -DskipTests install -pl runtime,extension -am >"$TMP/install.log" 2>&1 \
        || { tail -40 "$TMP/install.log" >&2; die "mvn install (into $M2) failed"; }
    BUILD_NOTE="mvn -B -ntp -q -DskipTests install -pl runtime,extension -am into a private repository (commit $commit${dirty:+, runtime/ or extension/ with uncommitted changes})"
}

bench_machine_lines() {
    echo "machine:  nproc=$(nproc), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java:     $(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
    echo "cgroups:  $(stat -fc %T /sys/fs/cgroup)$( [ -e /sys/fs/cgroup/unified/cgroup.controllers ] && echo " (hybrid: v1 controllers + cgroup2 at /sys/fs/cgroup/unified)")"
}
