#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# rootless.sh - isolated tests as an unprivileged user on this host (rootless mode). Run as root:
# it builds, copies the test class path where that user can read it, and drops to the user with
# setpriv (no account is created). Three passes:
#   delegated  root makes a subtree inside this script's own cgroups (<own>/alice/rootless-<pid>
#              in the v1 memory, cpu and pids hierarchies and the unified one), chowns it to the
#              user and starts the JVM inside it, as systemd's user@UID.service does on cgroup v2.
#              ci/rootless/RootlessChecks must pass (pid namespace, root inside = the user outside,
#              read-only host view, least privilege, Sandbox) except overItsMemoryLimit, which must fail with the
#              OOM kill reported; then the extension's own IsolationResourcesTests#oomKill and the
#              sample ExpectedOomTests (a Sandbox command OOM-killed) must pass as that user.
#   none       the same user with no delegated cgroup: every isolated test fails with the clear
#              error ("no cgroup placement for rootless containers ... Fix: ..."); with
#              alice.isolation.unavailable=abort they are skipped instead.
#   optional   alice.isolation.rootless.limits=optional: isolated without a cgroup; the tests
#              without limits pass, overItsMemoryLimit fails with "cannot set a memory limit",
#              and the JSON report says the usage was not measured.
# Only cgroups this script made are touched; all of them are removed at exit. Logs: sample-tests/target/rootless/.
#
# Environment: ALICE_ROOTLESS_UID (default 65534), ALICE_ROOTLESS_PASSES (default "delegated none optional")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUID=${ALICE_ROOTLESS_UID:-65534}
PASSES=${ALICE_ROOTLESS_PASSES:-delegated none optional}
die() { echo "rootless: error: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "run as root: the script makes the delegated cgroups and drops to uid $RUID itself"
command -v setpriv >/dev/null || die "setpriv (util-linux) is missing"
[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] || die "user namespaces are off (user.max_user_namespaces=0)"

WORK=$(mktemp -d /tmp/alice-rootless.XXXXXX)
chmod 755 "$WORK"
DELEGATED=()
cleanup() {
  [ -n "${HOST_LISTENER:-}" ] && kill "$HOST_LISTENER" 2>/dev/null
  for d in "${DELEGATED[@]}"; do
    [ -d "$d" ] || continue
    # processes left below (none expected): killed, then the groups removed bottom-up
    find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    [ -d "$d" ] && echo "rootless: warning: could not remove $d" >&2
  done
  mkdir -p "$ROOT/sample-tests/target/rootless"
  cp "$WORK"/*.log* "$ROOT/sample-tests/target/rootless/" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "rootless: compiling runtime, extension and samples (no tests run)"
mvn -B -ntp -q -pl sample-tests,extension -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/rootless.classpath -Dmdep.includeScope=test > "$WORK/mvn.log" 2>&1 || { cat "$WORK/mvn.log"; die "build failed"; }
platform=$(tr ':' '\n' < sample-tests/target/rootless.classpath | sed -n 's|.*/junit-platform-engine-\([0-9][^/]*\)\.jar$|\1|p' | head -1)
mvn -B -ntp -q -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" \
  -DoutputDirectory="$WORK" > "$WORK/mvn.log" 2>&1 || { cat "$WORK/mvn.log"; die "cannot fetch the ConsoleLauncher"; }

# The class path, readable by the user (the local Maven repository under /root is not).
mkdir -p "$WORK/lib" "$WORK/classes"
for m in runtime extension sample-tests; do
  for d in classes test-classes; do
    [ -d "$m/target/$d" ] && mkdir -p "$WORK/classes/$m-$d" && cp -r "$m/target/$d/." "$WORK/classes/$m-$d/"
  done
done
for f in $(cat extension/target/rootless.classpath sample-tests/target/rootless.classpath | tr ':' '\n' | sort -u); do
  case $f in *.jar) cp "$f" "$WORK/lib/" ;; esac
done
CP="$WORK/classes/runtime-classes:$WORK/classes/extension-classes:$WORK/classes/extension-test-classes:$WORK/classes/sample-tests-test-classes:$WORK/checks"
for j in "$WORK"/lib/*.jar; do case $j in *junit-platform-console-standalone*) ;; *) CP="$CP:$j" ;; esac; done
mkdir -p "$WORK/checks"
javac -d "$WORK/checks" -cp "$CP" ci/rootless/RootlessChecks.java
# The root suites' escape probe, read by RootlessChecks#escapesAreRefused from its class path.
cp runtime/src/test/resources/escape_probe.py "$WORK/checks/io/alicecontainer/rootless/"
chmod -R a+rX "$WORK"

# The user's home and working directory (reports, the class-data-sharing archive).
mkdir -p "$WORK/home" "$WORK/run"
chown "$RUID:$RUID" "$WORK/home" "$WORK/run"

# A subtree of this script's own cgroup in each hierarchy, chowned to the user.
own_dir() {   # own_dir <hierarchy>: this process's cgroup directory there
  local h=$1 path
  if [ "$h" = unified ]; then
    path=$(awk -F: '$1=="0"{print $3}' /proc/self/cgroup)
    if grep -q ' /sys/fs/cgroup/unified cgroup2' /proc/mounts; then echo "/sys/fs/cgroup/unified${path%/}"; else echo "/sys/fs/cgroup${path%/}"; fi
  else
    path=$(awk -F: -v c="$h" '{n=split($2,a,","); for(i=1;i<=n;i++) if (a[i]==c) print $3}' /proc/self/cgroup)
    [ -n "$path" ] && [ -d "/sys/fs/cgroup/$h" ] && echo "/sys/fs/cgroup/$h${path%/}"
  fi
}
delegate() {
  local name=rootless-$$ h base
  for h in memory cpu pids unified; do
    base=$(own_dir $h) || continue
    [ -n "$base" ] || continue
    mkdir -p "$base/alice/$name"
    chown -R "$RUID:$RUID" "$base/alice/$name"
    DELEGATED+=("$base/alice/$name")
  done
}

# run_as <log> <delegated 0|1> <launcher args...>: the ConsoleLauncher as the user.
run_as() {
  local log=$1 into=$2; shift 2
  (
    if [ "$into" = 1 ]; then for d in "${DELEGATED[@]}"; do echo $BASHPID > "$d/cgroup.procs"; done; fi
    cd "$WORK/run"
    exec setpriv --reuid="$RUID" --regid="$RUID" --clear-groups env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$WORK/home" \
      timeout 600 java -jar "$WORK/junit-platform-console-standalone-$platform.jar" execute --disable-banner \
      --details=tree --disable-ansi-colors -cp "$CP" "$@"
  ) > "$log" 2>&1 || true
}

checks=0
failed=0
expect() {   # expect <log> <description> <grep -E pattern>
  checks=$((checks + 1))
  if grep -qE -- "$3" "$1"; then echo "rootless: PASS $2"; else echo "rootless: FAIL $2 (no /$3/ in $1:)"; tail -40 "$1"; failed=$((failed + 1)); fi
}

# What the escape probe aims at: a process of the same user on the host (signalled, signal 0) that
# listens on the host's loopback (connected to), and the host's root disk (mknod).
setpriv --reuid="$RUID" --regid="$RUID" --clear-groups env -i PATH=/usr/local/bin:/usr/bin:/bin python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(1800)' "$WORK/run/host-port" &
HOST_LISTENER=$!
for _ in $(seq 100); do [ -s "$WORK/run/host-port" ] && break; sleep 0.1; done
[ -s "$WORK/run/host-port" ] || die "the host listener for the escape probe did not start"
disk=$(awk '$5 == "/" {print $3; exit}' /proc/self/mountinfo)
ESCAPE_ARGS="$(cat /proc/sys/kernel/random/uuid) $(cat "$WORK/run/host-port") $HOST_LISTENER ${disk%:*} ${disk#*:}"
echo "rootless: uid $RUID, $(uname -r), $(grep -c cgroup /proc/self/mountinfo) cgroup mounts"
# The control: outside a container the same user does reach that process and that port, so the
# container's refusals (ESRCH, ECONNREFUSED) come from its namespaces.
setpriv --reuid="$RUID" --regid="$RUID" --clear-groups env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$WORK/home" \
  python3 "$WORK/checks/io/alicecontainer/rootless/escape_probe.py" $ESCAPE_ARGS > "$WORK/probe-outside.log" 2>&1 || true
find /tmp -maxdepth 1 \( -name escape-proc -o -name escape-sys \) -user "$RUID" -exec rmdir {} + 2>/dev/null || true   # the probe's mount points
expect "$WORK/probe-outside.log" "outside a container the user reaches the probe's host process" "^host_process OK"
expect "$WORK/probe-outside.log" "outside a container the user reaches the probe's host port" "^host_network OK"
for pass in $PASSES; do
  log=$WORK/$pass.log
  start=$(date +%s)
  case $pass in
    delegated)
      delegate
      echo "rootless: delegated ${DELEGATED[*]}"
      run_as "$log" 1 --config alice.isolation.jvmOptions=-Xmx1g --config "escape.args=$ESCAPE_ARGS" -c io.alicecontainer.rootless.RootlessChecks \
        -m io.alicecontainer.junit.IsolationResourcesTests#oomKill -c io.alicecontainer.samples.ExpectedOomTests
      expect "$log" "delegated: placement nested in the delegated subtree" "cgroup placement: nested \(rootless \(uid $RUID\)"
      expect "$log" "delegated: 8 tests successful (RootlessChecks, oomKill, ExpectedOomTests)" "\[ +8 tests successful +\]"
      expect "$log" "delegated: every escape probe refused, from the test's code and from a Sandbox command" \
        "escapes refused \(a Sandbox command\): \{remount_usr_rw=REFUSED"
      expect "$log" "delegated: overItsMemoryLimit OOM-killed, reported with the limit" "killed by the OOM killer: memory limit 128.0 MiB reached"
      expect "$log" "delegated: exactly one failure" "\[ +1 tests failed +\]"
      ;;
    none)
      run_as "$log" 0 -m io.alicecontainer.rootless.RootlessChecks#ownPidNamespace
      expect "$log" "no delegation: the clear error with the fixes" "no cgroup placement for rootless containers: .*Fix: .*alice.isolation.rootless.limits=optional"
      run_as "$log.abort" 0 --config alice.isolation.unavailable=abort -m io.alicecontainer.rootless.RootlessChecks#ownPidNamespace
      expect "$log.abort" "no delegation, unavailable=abort: skipped (aborted)" "\[ +1 tests aborted +\]"
      ;;
    optional)
      run_as "$log" 0 --config alice.isolation.rootless.limits=optional --config "escape.args=$ESCAPE_ARGS" -c io.alicecontainer.rootless.RootlessChecks
      expect "$log" "optional: placement none, said once" "cgroup placement: none \(rootless \(uid $RUID\).*rootless.limits=optional"
      expect "$log" "optional: the tests without limits pass" "\[ +6 tests successful +\]"
      expect "$log" "optional: every escape probe refused without a cgroup too" "escapes refused \(a Sandbox command\): \{remount_usr_rw=REFUSED"
      expect "$log" "optional: a declared limit fails clearly" "cannot set a memory limit .*no cgroup"
      expect "$log" "optional: the report entries say the usage was not measured" "alice.usage=\"usage not measured: the container had no cgroup"
      cat "$WORK"/run/target/alice-reports/io.alicecontainer.rootless.RootlessChecks/*.json > "$log.json" 2>/dev/null || true
      expect "$log.json" "optional: the JSON report says so too" "usage not measured: the container had no cgroup"
      ;;
    *) die "unknown pass $pass" ;;
  esac
  echo "rootless: pass $pass took $(( $(date +%s) - start )) s"
done
echo "rootless: $checks checks, $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
