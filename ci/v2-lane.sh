#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# v2-lane.sh - the cgroup-v2 lane: the runtime's container tests on a pure cgroup-v2 kernel.
#
# Our machines have a hybrid cgroup layout, so the runtime's pure-v2 backend (memory.max, cpu.max,
# pids.max, io.max, memory.peak, memory.events, cpu.stat throttling, cgroup.freeze/kill with
# controllers) is exercised here inside a throwaway QEMU VM (ci/cgroup-v2-vm/v2vm.sh): built on
# the host, run in the guest with plain `java -cp ... ConsoleLauncher`, with CI=true so that
# nothing skips. Two passes in one boot:
#   root       the test JVM in the guest's root cgroup: the v2 suite (io.alicecontainer.v2) and
#              the container suites the host runs too;
#   delegated  the test JVM in a leaf cgroup (/ci.slice/job, like a CI job under systemd), the
#              containers in a delegated subtree (-Dalice.cgroup.parent=/ci.slice/alice): the v2
#              suite again.
# Then the extension and the samples (a small subset, EXT_SELECT below: the guest is slow) in the
# cgroup placements users run in, each pass checking the placement driver it logged:
#   ext-root     the JVM in the root cgroup (bare VMs, CI machines without systemd): nested;
#   ext-rootless an unprivileged user (uid 65534, setpriv) alone in a subtree delegated to it as
#                systemd gives user@UID.service (chowned, cpu memory pids enabled above it): the
#                rootless leaf-move, user namespaces, a Sandbox command OOM-killed (subset EXT_SELECT
#                plus the sample ExpectedOomTests; the class path copied where the user can read it);
#   ext-service  the JVM in /system.slice/runner.service beside another process, as a CI job or
#                a Jenkins agent under systemd (no systemd answers in the guest): cgroupfs, in the
#                nearest ancestor that passes the controllers down;
#   ext-nsroot   the JVM at the root of a cgroup namespace of its own (unshare -C, cgroup2 mounted
#                anew) beside another process, as in a privileged Docker container or a Kubernetes
#                privileged pod: leaf-move (the namespace's processes into init/);
#   ext-systemd  a real systemd (the host's /lib/systemd/systemd, in pid, cgroup and mount
#                namespaces of its own, as a container manager starts it), the JVM in a service
#                beside another process (systemd-run): systemd-scope (StartTransientUnit with
#                Delegate=yes over systemd's private socket). First a test JVM is SIGKILLed while a
#                container of its runs, its scope frozen so that the holder stays: the next JVM must
#                sweep that scope (its log says so), and afterwards no alice scope may be left.
#                Last: /run/systemd stays behind.
#   ext-usersystemd  the laptop case, under the same systemd (one boot with ext-systemd): a user
#                made in the guest (uid 4242), a real user manager for it (systemctl start
#                user@4242.service), a "terminal" (a user service, as gnome-terminal-server) that
#                opens a shell in a scope of its own (systemd-run --user --scope, as vte-spawn-*.scope);
#                the JVM runs from that shell beside another process of it, without root:
#                user-systemd-scope (the user's manager, systemd-run --user --scope, Delegate=yes);
#                subset EXT_SELECT plus the sample ExpectedOomTests; afterwards no alice scope
#                and no jvm- group may be left.
# Run it as root after a build (`mvn verify`, or `mvn -DskipTests install`); it compiles what is
# missing itself (`mvn -pl runtime test-compile`, a no-op when the build is up to date).
#
# Usage: ci/v2-lane.sh [--self-check-broken] [--no-build]
#   --self-check-broken  also run io.alicecontainer.v2.BrokenV2LimitCheck, a deliberately wrong
#                        check (a memory limit written to the v1 file name memory.limit_in_bytes,
#                        expected to OOM-kill): the lane must then FAIL. Shows that the lane can
#                        fail; not for CI.
#   --no-build           use runtime/target as it is
#
# Environment:
#   ALICE_V2_LANE_TIMEOUT    bound for the VM in seconds (default 2100; the whole lane took ~10.5 min on a quiet
#                            machine before ext-usersystemd and the SIGKILLed JVM of ext-systemd came)
#   ALICE_V2_LANE_SELECT     launcher selectors replacing the default selection of the root pass
#                            (then there is no delegated pass), e.g. "-c io.alicecontainer.v2.V2IoTests"
#                            or "-m io.alicecontainer.v2.V2CpuTests#cpuMaxThrottles"
#   ALICE_V2_LANE_DELEGATED  0: no delegated pass
#   ALICE_V2_LANE_PLACEMENTS 0: no extension passes (ext-*)
#   ALICE_V2_LANE_ROOT       0: no root pass (with ALICE_V2_LANE_DELEGATED=0: the ext-* passes only)
#   ALICE_V2_LANE_EXT_PASSES the extension passes to run (default "ext-root ext-rootless ext-service ext-nsroot ext-systemd
#                            ext-usersystemd")
#   ALICE_V2_LANE_WORK       work directory shared with the guest (default runtime/target/v2-lane;
#                            emptied first; keeps each pass's log and JUnit XML reports)
#   ALICE_V2_LANE_JAVA_OPTS  options of the guest's test JVMs (default: C1 only, serial GC)
#   ALICE_V2VM_*             passed on to ci/cgroup-v2-vm/v2vm.sh (see its header)
#
# Prints "v2 lane: N checks ran, P passed, F failed" with the guest's kernel and
# cgroup.controllers; exits 0 only when every selected check ran and passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

broken=0 build=1
for arg in "$@"; do
  case $arg in
    --self-check-broken) broken=1 ;;
    --no-build) build=0 ;;
    -h|--help) awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "v2 lane: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

TIMEOUT=${ALICE_V2_LANE_TIMEOUT:-2100}
WORK=${ALICE_V2_LANE_WORK:-$ROOT/runtime/target/v2-lane}
JAVA_OPTS=${ALICE_V2_LANE_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
VM=$ROOT/ci/cgroup-v2-vm/v2vm.sh

V2_SUITE=(
  -c io.alicecontainer.v2.V2MemoryTests
  -c io.alicecontainer.v2.V2CpuTests
  -c io.alicecontainer.v2.V2PidsTests
  -c io.alicecontainer.v2.V2IoTests
  -c io.alicecontainer.v2.V2FreezeKillTests
  -c io.alicecontainer.v2.V2Clone3Tests
  -c io.alicecontainer.v2.V2ChildJvmTests
)
# The root pass adds the host's container suites. Three of their tests are left out because their
# timing does not hold under software emulation (the v2 suite checks the same things without
# that assumption):
#  - ContainerLimitsTests#cpuLimitThrottles expects 0.4 s of CPU for `timeout 2`, i.e. a wall time
#    of ~2 s; spawning takes ~1 s more in the VM, and 20% of that is used too (V2CpuTests measures
#    the share of the command's own wall time and of cpu.stat's periods);
#  - CgroupControllerTests#processLifecycle gives python 0.3 s to be moved into the cgroup before it
#    allocates; in the VM the JVM takes longer, part of the 16 MiB is charged to the old cgroup and
#    memory.current stays below 16 MiB;
#  - ContainerLifecycleTests#pauseAndResume gives 400 spawns of `sleep 0.005` 30 s after the thaw;
#    a spawn takes ~75 ms in the VM (V2FreezeKillTests checks cgroup.freeze with a spinner).
ROOT_SELECT=(
  "${V2_SUITE[@]}"
  -c io.alicecontainer.ContainerLimitsTests
  -c io.alicecontainer.ContainerLifecycleTests
  -c io.alicecontainer.ContainerIsolationTests
  -c io.alicecontainer.cgroup.CgroupControllerTests
  -m 'io.alicecontainer.ContainerEscapeTests#deviceCgroup'
  -m 'io.alicecontainer.ContainerEscapeTests#hostRootDevices'
  '--exclude-methodname=io\.alicecontainer\.ContainerLimitsTests#cpuLimitThrottles'
  '--exclude-methodname=io\.alicecontainer\.cgroup\.CgroupControllerTests#processLifecycle'
  '--exclude-methodname=io\.alicecontainer\.ContainerLifecycleTests#pauseAndResume'
)

# The extension's own suites and the samples in each placement, a subset as an isolated test costs
# 10-20 s in the guest: in every placement a memory limit that must OOM-kill (the controllers
# really are enabled where the containers went) and one sample (pid 1 in its namespace); in the
# root cgroup also the smoke test (an isolated pass and fail).
EXT_SELECT_ROOT=(
  -c io.alicecontainer.junit.IsolationSmokeTests
  -m 'io.alicecontainer.junit.IsolationResourcesTests#oomKill'
  -m 'io.alicecontainer.samples.NamespaceIsolationTests#ownPidNamespace'
)
EXT_SELECT=(
  -m 'io.alicecontainer.junit.IsolationResourcesTests#oomKill'
  -m 'io.alicecontainer.samples.NamespaceIsolationTests#ownPidNamespace'
)
# Under emulation a child JVM's boot costs seconds of CPU: no class-data-sharing archive is made
# in the guest (its dump would cost more than it saves here), and the pool of warm children runs
# in the root pass only (there it checks that limits written at hand-over hold on cgroup v2).
EXT_SELECT_ROOT+=(--config=alice.isolation.cds=false)
EXT_SELECT+=(--config=alice.isolation.cds=false --config=alice.isolation.pool.size=0)

log() { echo "v2 lane: $*"; }
die() { echo "v2 lane: error: $*" >&2; exit 2; }
started=$(date +%s)

[[ $WORK =~ ^/[A-Za-z0-9_./+-]+$ ]] || die "the work directory must be an absolute path without blanks or quotes: $WORK"
rm -rf "$WORK"
mkdir -p "$WORK"

# --- build on the host -------------------------------------------------------------------------
mvn_goals=(dependency:build-classpath -Dmdep.outputFile="$WORK/deps.classpath" -Dmdep.includeScope=test)
if [ $build -eq 1 ]; then
  log "compiling runtime (main, spawn shim, tests) if needed"
  mvn_goals=(test-compile "${mvn_goals[@]}")
fi
mvn_quiet() {   # Maven's output only when it fails
  mvn -B -ntp -q "$@" > "$WORK/mvn.log" 2>&1 || { cat "$WORK/mvn.log"; die "mvn $* failed"; }
}
mvn_quiet -pl runtime "${mvn_goals[@]}"
placements=${ALICE_V2_LANE_PLACEMENTS:-1}
[ -n "${ALICE_V2_LANE_SELECT:-}" ] && placements=0
if [ "$placements" != 0 ]; then
  log "compiling the extension and the samples if needed"
  ext_goals=(dependency:build-classpath -Dmdep.outputFile=target/v2-lane.classpath -Dmdep.includeScope=test)
  [ $build -eq 1 ] && ext_goals=(test-compile "${ext_goals[@]}")
  mvn_quiet -pl extension,sample-tests -am "${ext_goals[@]}"
fi
[ -d runtime/target/test-classes/io/alicecontainer/v2 ] || die "runtime/target/test-classes has no v2 tests: build first"
ls runtime/target/classes/io/alicecontainer/native/linux-*/* >/dev/null 2>&1 || die "the spawn shim is not built: build first"

# The console launcher of the project's JUnit Platform version. It brings the Jupiter engine, so
# the project's own JUnit jars stay off the guest's classpath.
platform=$(tr ':' '\n' < "$WORK/deps.classpath" | sed -n 's|.*/junit-platform-engine-\([0-9][^/]*\)\.jar$|\1|p' | head -1)
[ -n "$platform" ] || die "no junit-platform-engine on the test classpath"
mvn_quiet -N dependency:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" -DoutputDirectory="$WORK"
launcher=$WORK/junit-platform-console-standalone-$platform.jar
[ -f "$launcher" ] || die "cannot fetch junit-platform-console-standalone $platform"
# The build is copied into the shared work directory: the guest mounts a tmpfs over /tmp, so a
# clone under /tmp would not be visible there (and a later build cannot change it mid-run).
command cp -a "$ROOT/runtime/target/classes" "$WORK/classes"
command cp -a "$ROOT/runtime/target/test-classes" "$WORK/test-classes"
cp="$WORK/test-classes:$WORK/classes"
cp+=":$(tr ':' '\n' < "$WORK/deps.classpath" | grep -vE '/(org/junit|org/opentest4j|org/apiguardian)/' | paste -sd: -)"
cp+=":$launcher"
ext_cp=''
if [ "$placements" != 0 ]; then
  command cp -a "$ROOT/extension/target/classes" "$WORK/ext-classes"
  command cp -a "$ROOT/extension/target/test-classes" "$WORK/ext-test-classes"
  command cp -a "$ROOT/sample-tests/target/test-classes" "$WORK/sample-test-classes"
  ext_cp="$WORK/sample-test-classes:$WORK/ext-test-classes:$WORK/ext-classes:$WORK/classes"
  # The modules' own output is the copies above; JUnit comes with the launcher.
  ext_cp+=":$(cat extension/target/v2-lane.classpath sample-tests/target/v2-lane.classpath | tr ':' '\n' \
    | grep -vE '/org/junit/(jupiter|vintage)/|/org/junit/platform/junit-platform-(commons|engine|launcher|console|reporting|suite)|/(org/opentest4j|org/apiguardian)/|/target/(test-)?classes$' \
    | awk '!seen[$0]++' | paste -sd: -)"
  ext_cp+=":$launcher"
fi

java=${JAVA_HOME:+$JAVA_HOME/bin/java}
java=$(readlink -f "${java:-$(command -v java)}") || die "no java"

# --- the guest's script --------------------------------------------------------------------------
passes=(root)
select=("${ROOT_SELECT[@]}")
if [ -n "${ALICE_V2_LANE_SELECT:-}" ]; then
  read -r -a select <<< "$ALICE_V2_LANE_SELECT"
elif [ "${ALICE_V2_LANE_DELEGATED:-1}" != 0 ]; then
  passes+=(delegated)
fi
if [ "$placements" != 0 ]; then
  read -r -a ext_passes <<< "${ALICE_V2_LANE_EXT_PASSES:-ext-root ext-rootless ext-service ext-nsroot ext-systemd ext-usersystemd}"
  for p in "${ext_passes[@]}"; do
    [[ $p =~ ^ext-(root|rootless|service|nsroot|systemd|usersystemd)$ ]] || die "unknown pass in ALICE_V2_LANE_EXT_PASSES: $p"
  done
  passes+=("${ext_passes[@]}")
fi
[ "${ALICE_V2_LANE_ROOT:-1}" = 0 ] && [ -z "${ALICE_V2_LANE_SELECT:-}" ] && passes=("${passes[@]:1}")
# The placement driver each extension pass must log ("cgroup placement: <driver> (why)").
declare -A expected_placement=([ext-root]=nested [ext-rootless]=leaf-move [ext-service]=cgroupfs [ext-nsroot]=leaf-move [ext-systemd]=systemd-scope
  [ext-usersystemd]=user-systemd-scope)
props=()
if [ $broken -eq 1 ]; then
  select+=(-c io.alicecontainer.v2.BrokenV2LimitCheck)
  props+=(-Dalice.v2.selfCheckBroken=true)
  log "SELF-CHECK: the deliberately broken check BrokenV2LimitCheck is included: this run must FAIL"
fi

q() { [ $# -eq 0 ] || printf '%q ' "$@"; }   # words for the guest's /bin/sh (plain or \-escaped)
# The guest's launch function, in a file of its own: cmd.sh and the shell inside a new cgroup
# namespace (pass ext-nsroot) both source it.
cat > "$WORK/launch.sh" <<GUEST
# Written by ci/v2-lane.sh: sourced by the guest's scripts.
RT_CP=$(q "$cp")
EXT_CP=$(q "$ext_cp")
launch() {   # launch PASS JVM_OPTION [SELECTORS...]: one test JVM; output in PASS.log, status in PASS.status
  pass=\$1 opt=\$2
  shift 2
  {
    \${LAUNCH_AS:-} $(q "$java") $JAVA_OPTS $(q "${props[@]}")\${opt:+"\$opt"} -cp "\${LAUNCH_CP:-\$RT_CP}" \\
      org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors \\
      --details=tree --include-engine=junit-jupiter --fail-if-no-tests --reports-dir="reports/\$pass" \\
      --config=junit.jupiter.execution.timeout.default=\${LAUNCH_TIMEOUT:-150s} "\$@"
    echo \$? > "\$pass.status"
  } 2>&1 | tee "\$pass.log"
}
GUEST
{
  cat <<GUEST
#!/bin/sh
# Written by ci/v2-lane.sh; runs in the cgroup-v2 guest as root, in $WORK.
echo "v2 lane: kernel \$(uname -r)"
echo "v2 lane: cgroup.controllers: \$(cat /sys/fs/cgroup/cgroup.controllers)"
echo "v2 lane: cgroup.subtree_control: \$(cat /sys/fs/cgroup/cgroup.subtree_control)"
uname -r > kernel.txt
cat /sys/fs/cgroup/cgroup.controllers > controllers.txt
export CI=true ALICE_V2_LANE=true
mkdir -p target   # where the tests write, as under Maven

. ./launch.sh

GUEST
  if [[ " ${passes[*]} " == *" root "* ]]; then
    cat <<GUEST
echo "v2 lane: pass 'root': the test JVM in the root cgroup"
launch root '' $(q "${select[@]}")
GUEST
  fi
  if [[ " ${passes[*]} " == *" delegated "* ]]; then
    cat <<GUEST

# Like a CI job under systemd: the JVM runs in a leaf cgroup whose parent has the controllers.
# cgroup v2 forbids controllers below a cgroup that holds processes, so the runtime is given a
# delegated subtree with alice.cgroup.parent, as its error message tells users to do.
echo "v2 lane: pass 'delegated': the test JVM in /ci.slice/job, containers below /ci.slice/alice"
mkdir -p /sys/fs/cgroup/ci.slice/job
echo "+cpu +memory +pids +io" > /sys/fs/cgroup/ci.slice/cgroup.subtree_control
(
  echo 0 > /sys/fs/cgroup/ci.slice/job/cgroup.procs || exit 1
  launch delegated -Dalice.cgroup.parent=/ci.slice/alice $(q "${V2_SUITE[@]}")
)
GUEST
  fi
  # The extension and the samples where users run them (see the header). Each pass's JVM logs the
  # placement it chose; the host checks it.
  if [[ " ${passes[*]} " == *" ext-root "* ]]; then
    cat <<GUEST

echo "v2 lane: pass 'ext-root': the extension and samples, the test JVM in the root cgroup"
LAUNCH_CP=\$EXT_CP LAUNCH_TIMEOUT=600s launch ext-root '' $(q "${EXT_SELECT_ROOT[@]}")
GUEST
  fi
  if [[ " ${passes[*]} " == *" ext-rootless "* ]]; then
    cat <<GUEST

echo "v2 lane: pass 'ext-rootless': uid 65534 alone in a delegated subtree, as in user@65534.service"
# The class path where that user can read it: the jars of the local Maven repository (under /root) copied.
mkdir -p /tmp/rootless/lib /tmp/rootless/home
RL_CP=''
for e in \$(echo "\$EXT_CP" | tr ':' ' '); do
  case \$e in
    "\$PWD"/*) RL_CP="\$RL_CP:\$e" ;;
    *) cp "\$e" /tmp/rootless/lib/ && RL_CP="\$RL_CP:/tmp/rootless/lib/\${e##*/}" ;;
  esac
done
chmod -R a+rX /tmp/rootless && chown 65534:65534 /tmp/rootless/home
mkdir -p reports/ext-rootless target && chmod -R a+rwX reports/ext-rootless target
# What systemd does for user@UID.service: a cgroup chowned to the user, the controllers enabled above it.
echo "+cpu +memory +pids" > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/user.slice/user@65534.service
echo "+cpu +memory +pids" > /sys/fs/cgroup/user.slice/cgroup.subtree_control
chown -R 65534:65534 /sys/fs/cgroup/user.slice/user@65534.service
cat > rootless-wrap.sh <<'WRAP'
echo \$\$ > /sys/fs/cgroup/user.slice/user@65534.service/cgroup.procs || exit 1
exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp/rootless/home "\$@"
WRAP
(
  LAUNCH_AS="sh rootless-wrap.sh" LAUNCH_CP="\${RL_CP#:}" LAUNCH_TIMEOUT=600s launch ext-rootless '' $(q "${EXT_SELECT[@]}") \\
    -c io.alicecontainer.samples.ExpectedOomTests
)
GUEST
  fi
  if [[ " ${passes[*]} " == *" ext-service "* ]]; then
    cat <<GUEST

echo "v2 lane: pass 'ext-service': the test JVM in /system.slice/runner.service beside another process"
mkdir -p /sys/fs/cgroup/system.slice/runner.service
echo "+cpu +memory +pids +io" > /sys/fs/cgroup/system.slice/cgroup.subtree_control
sleep 3600 &
other=\$!
echo \$other > /sys/fs/cgroup/system.slice/runner.service/cgroup.procs
(
  echo 0 > /sys/fs/cgroup/system.slice/runner.service/cgroup.procs || exit 1
  LAUNCH_CP=\$EXT_CP LAUNCH_TIMEOUT=600s launch ext-service '' $(q "${EXT_SELECT[@]}")
)
kill \$other
GUEST
  fi
  if [[ " ${passes[*]} " == *" ext-nsroot "* ]]; then
    cat <<GUEST

echo "v2 lane: pass 'ext-nsroot': the test JVM at the root of a cgroup namespace beside another process"
mkdir -p /sys/fs/cgroup/pod
sleep 3600 &
other=\$!
echo \$other > /sys/fs/cgroup/pod/cgroup.procs
cat > nsroot.sh <<'NSROOT'
# In a new cgroup and mount namespace, as a privileged container sees it: cgroup2 mounted anew
# shows the namespace's root (/pod) as /sys/fs/cgroup, read-write.
# (the kernel refuses the same cgroup2 superblock twice on one mount point: unmount the old first)
umount -l /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 1
echo "v2 lane: in the namespace: /proc/self/cgroup \$(cat /proc/self/cgroup), processes \$(cat /sys/fs/cgroup/cgroup.procs | wc -l)"
. ./launch.sh
LAUNCH_CP=\$EXT_CP LAUNCH_TIMEOUT=600s launch ext-nsroot '' "\$@"
NSROOT
(
  echo 0 > /sys/fs/cgroup/pod/cgroup.procs || exit 1
  unshare --cgroup --mount /bin/sh nsroot.sh $(q "${EXT_SELECT[@]}")
)
kill \$other
GUEST
  fi
  sys_system=0 sys_user=0
  [[ " ${passes[*]} " == *" ext-systemd "* ]] && sys_system=1
  [[ " ${passes[*]} " == *" ext-usersystemd "* ]] && sys_user=1
  if [ $sys_system = 1 ] || [ $sys_user = 1 ]; then
    cat <<GUEST

echo "v2 lane: passes with a real systemd in namespaces of its own:$([ $sys_system = 1 ] && echo " ext-systemd")$([ $sys_user = 1 ] && echo " ext-usersystemd")"
# The job is a unit systemd starts at boot (tools outside its pid namespace would not reach it).
mkdir -p /sys/fs/cgroup/machine /run/systemd/system
: > systemd-job.sh
GUEST
    if [ $sys_system = 1 ]; then
      cat <<GUEST
cat >> systemd-job.sh <<'JOB'
echo "v2 lane: pass 'ext-systemd': the test JVM in a service beside another process"
(
. ./launch.sh
sleep 3600 &
other=\$!
# First a test JVM SIGKILLed mid-test, once a container of its runs in its scope. Left alone, its
# holder ends and systemd collects the scope; here the scope is frozen first, so the holder stays
# (as where it does not end: a pipe end kept elsewhere): the next JVM must sweep it (its log says
# so, and afterwards no alice scope may be left).
LAUNCH_CP=\$EXT_CP LAUNCH_TIMEOUT=600s launch ext-systemd-killed '' $(q "${EXT_SELECT[@]}") > /dev/null &
victim='' i=0
while [ -z "\$victim" ] && [ \$i -lt 1200 ]; do
  for f in \$(find /sys/fs/cgroup/system.slice -path '*/alice-jvm-*.scope/alice/jvm-*/*' -name cgroup.procs 2>/dev/null); do
    [ -n "\$(cat "\$f")" ] && victim=\${f#/sys/fs/cgroup/system.slice/} && break
  done
  sleep 0.5; i=\$((i + 1))
done
victim=\${victim%%/*}
if [ -n "\$victim" ]; then
  vpid=\${victim#alice-jvm-} && vpid=\${vpid%%-*}
  echo 1 > /sys/fs/cgroup/system.slice/\$victim/cgroup.freeze
  kill -9 "\$vpid"
  sleep 3
  echo "v2 lane: test JVM \$vpid SIGKILLed with a container running, its scope frozen; left: \$(find /sys/fs/cgroup/system.slice/\$victim -type d 2>/dev/null | wc -l) groups, processes \$(cat \$(find /sys/fs/cgroup/system.slice/\$victim -name cgroup.procs 2>/dev/null) 2>/dev/null | wc -l)"
  [ -d /sys/fs/cgroup/system.slice/\$victim ] || { echo "v2 lane: nothing left to sweep"; echo 1 > ext-systemd-killed.failed; }
else
  echo "v2 lane: the test JVM to be killed never ran a container"; echo 1 > ext-systemd-killed.failed
fi
wait \$!
LAUNCH_CP=\$EXT_CP LAUNCH_TIMEOUT=600s launch ext-systemd '' $(q "${EXT_SELECT[@]}")
# The JVM's scope must be gone with it (its holder ended, systemd collected the scope), and the
# killed JVM's too.
sleep 3
left=\$(ls -d /sys/fs/cgroup/system.slice/alice-*.scope 2>/dev/null)
grep -q "stopping what the scope .*\$victim still holds" ext-systemd.log || echo 1 > ext-systemd-killed.failed
if [ -n "\$left" ] || [ -e ext-systemd-killed.failed ]; then echo "v2 lane: left behind: \$left (or the killed JVM's scope was not swept)"; echo 1 > ext-systemd.status; else echo "v2 lane: no alice scope is left, none of the killed JVM's (\$victim: swept by the next JVM)"; fi
kill \$other
)
JOB
GUEST
    fi
    if [ $sys_user = 1 ]; then
      cat <<GUEST
# The laptop case: a user with a real user manager, its JVM started from a shell that a terminal
# opened in a scope of its own, beside another process of that shell; no root anywhere on its path.
# The account is made in the guest's throwaway root; the class path copied where it can read it.
useradd --create-home --uid 4242 --user-group --shell /bin/sh alicedev
mkdir -p /home/alicedev/lib
USER_CP=''
for e in \$(echo "\$EXT_CP" | tr ':' ' '); do
  case \$e in
    "\$PWD"/*) USER_CP="\$USER_CP:\$e" ;;
    *) cp "\$e" /home/alicedev/lib/ && USER_CP="\$USER_CP:/home/alicedev/lib/\${e##*/}" ;;
  esac
done
echo "USER_CP='\${USER_CP#:}'" > user-cp.sh
chown -R alicedev: /home/alicedev
mkdir -p reports/ext-usersystemd target && chmod a+rwX target
for f in ext-usersystemd.log ext-usersystemd.status ext-usersystemd.out user-terminal.done; do : > \$f; done
chown alicedev: reports/ext-usersystemd ext-usersystemd.log ext-usersystemd.status ext-usersystemd.out user-terminal.done
# The terminal: a user service, as gnome-terminal-server; each shell it opens gets a scope of its
# own in the user's manager (as GNOME's vte-spawn-<uuid>.scope). The session's environment as a login sets it.
mkdir -p /etc/systemd/user
cat > /etc/systemd/user/lane-terminal.service <<UNIT
[Unit]
Description=a desktop terminal: each shell in a scope of its own
[Service]
WorkingDirectory=\$PWD
Environment=CI=true ALICE_V2_LANE=true DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/4242/bus
ExecStart=/bin/sh \$PWD/user-terminal.sh
StandardOutput=append:\$PWD/ext-usersystemd.out
StandardError=append:\$PWD/ext-usersystemd.out
UNIT
cat > user-terminal.sh <<'TERM'
systemd-run --user --scope --quiet --unit=vte-spawn-lane.scope /bin/sh user-shell.sh
echo "\$?" > user-terminal.done
TERM
cat > user-shell.sh <<'SHELL'
. ./launch.sh
. ./user-cp.sh
echo "v2 lane: the developer's shell: uid \$(id -u), \$(cat /proc/self/cgroup), XDG_RUNTIME_DIR=\$XDG_RUNTIME_DIR"
sleep 3600 &
LAUNCH_CP=\$USER_CP LAUNCH_TIMEOUT=600s launch ext-usersystemd '' $(q "${EXT_SELECT[@]}") -c io.alicecontainer.samples.ExpectedOomTests
kill \$!
SHELL
cat >> systemd-job.sh <<'JOB'
echo "v2 lane: pass 'ext-usersystemd': user@4242.service, the test JVM of uid 4242 in a terminal's shell scope beside another process"
# What a login does first: logind (with the system bus it needs) starts the user's manager.
systemctl start dbus.socket systemd-logind.service || echo "v2 lane: logind did not start: \$(systemctl status --no-pager systemd-logind.service 2>&1 | tail -15)"
systemctl start user@4242.service || echo "v2 lane: user@4242.service did not start: \$(systemctl status --no-pager user@4242.service 2>&1 | tail -15)"
ucg=/sys/fs/cgroup/user.slice/user-4242.slice/user@4242.service
# The developer's own build output: ext-systemd (root) may have written into target/ before.
chown -R 4242:4242 target
echo "v2 lane: user@4242.service is \$(systemctl is-active user@4242.service), delegated: \$(cat \$ucg/cgroup.controllers 2>&1)"
as_user() { setpriv --reuid=4242 --regid=4242 --init-groups env XDG_RUNTIME_DIR=/run/user/4242 "\$@"; }
i=0
as_user systemctl --user start lane-terminal.service || i=900
while [ ! -s user-terminal.done ] && [ \$i -lt 900 ] && as_user systemctl --user is-active -q lane-terminal.service; do sleep 1; i=\$((i + 1)); done
cat ext-usersystemd.out
[ -s user-terminal.done ] || echo "v2 lane: the terminal's shell did not end within 900 s"
# The scope of the JVM must be gone with it, and no group of ours anywhere in the user's tree.
sleep 3
left=\$(find \$ucg -name 'alice-jvm-*' -o -name alice -o -name 'jvm-*' 2>/dev/null; as_user systemctl --user list-units --all --no-legend 'alice-jvm-*')
if [ -n "\$left" ]; then echo "v2 lane: left behind: \$left"; echo 1 > ext-usersystemd.status; else echo "v2 lane: no alice scope or group is left in \$ucg"; fi
JOB
GUEST
    fi
    cat <<GUEST
cat > /run/systemd/system/runner.service <<UNIT
[Unit]
Description=a CI job's processes, as in a runner's or agent's service
DefaultDependencies=no
[Service]
Type=oneshot
WorkingDirectory=\$PWD
Environment=CI=true ALICE_V2_LANE=true
ExecStart=/bin/sh \$PWD/systemd-job.sh
ExecStopPost=/bin/touch \$PWD/systemd-job.done
StandardOutput=append:\$PWD/systemd-job.out
StandardError=append:\$PWD/systemd-job.out
UNIT
cat > systemd.sh <<'SYSTEMD'
# systemd may enable controllers only in an empty cgroup-namespace root: wait until unshare, which
# stays behind in it outside the new pid namespace, has been moved out (after this, its child, is
# in the namespace's root: moved earlier, unshare might fork it outside).
touch systemd-child.up
while [ ! -e systemd-parent.moved ]; do sleep 0.1; done
umount -l /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 1
mount -t proc proc /proc || exit 1
exec env container=alice-v2-lane /lib/systemd/systemd --unit=runner.service --show-status=no
SYSTEMD
(
  echo 0 > /sys/fs/cgroup/machine/cgroup.procs || exit 1
  exec unshare --pid --fork --cgroup --mount /bin/sh systemd.sh
) > systemd.log 2>&1 &
parent=\$!
while [ ! -e systemd-child.up ]; do sleep 0.1; done
echo "\$parent" > /sys/fs/cgroup/cgroup.procs && touch systemd-parent.moved
i=0
while [ ! -e systemd-job.done ] && [ \$i -lt 2400 ]; do sleep 1; i=\$((i + 1)); done
cat systemd-job.out 2>/dev/null
[ -e systemd-job.done ] || echo "v2 lane: the systemd job did not end; systemd's log: \$(tail -20 systemd.log)"
GUEST
  fi
  cat <<GUEST

for pass in ${passes[*]}; do
  [ "\$(cat "\$pass.status" 2>/dev/null)" = 0 ] || exit 1
done
GUEST
} > "$WORK/cmd.sh"

# --- the VM --------------------------------------------------------------------------------------
"$VM" setup
log "booting the cgroup-v2 VM (bounded by ${TIMEOUT}s), passes: ${passes[*]}"
vm_status=0
"$VM" run "$WORK" "$TIMEOUT" || vm_status=$?

# --- verdict -------------------------------------------------------------------------------------
summary() {   # summary PASS: "found started successful failed skipped aborted containers_failed", or nothing
  awk '$1 == "[" && ($3 == "tests" || $3 == "containers") {n[$3 " " $4] = $2}
       END {if ("tests started" in n) print n["tests found"], n["tests started"], n["tests successful"], n["tests failed"],
                n["tests skipped"], n["tests aborted"], n["containers failed"]}' "$WORK/$1.log" 2>/dev/null || true
}
kernel=$(cat "$WORK/kernel.txt" 2>/dev/null || echo "?")
controllers=$(cat "$WORK/controllers.txt" 2>/dev/null || echo "?")
took=$(( $(date +%s) - started ))
ok=1
[ "$vm_status" = 0 ] || { log "the guest's script exited with status $vm_status"; ok=0; }
t_found=0 t_ran=0 t_passed=0 t_failed=0 t_skipped=0 t_aborted=0
for pass in "${passes[@]}"; do
  found='' ran='' passed='' failed='' skipped='' aborted='' cfailed=''
  read -r found ran passed failed skipped aborted cfailed <<< "$(summary "$pass")" || true
  if [ -z "$ran" ]; then
    log "pass '$pass': no test summary from the guest (see the output above)"
    ok=0
    continue
  fi
  log "pass '$pass': $ran ran, $passed passed, $failed failed ($found found, $skipped skipped, $aborted aborted)"
  if [ -n "${expected_placement[$pass]:-}" ]; then
    chosen=$(grep -o 'cgroup placement: [a-z-]*' "$WORK/$pass.log" | sort -u | paste -sd, -)
    if [ "$chosen" = "cgroup placement: ${expected_placement[$pass]}" ]; then
      log "pass '$pass': $chosen, as expected"
    else
      log "pass '$pass': expected cgroup placement: ${expected_placement[$pass]}, the log says: ${chosen:-nothing}"
      ok=0
    fi
  fi
  [ "$failed" = 0 ] && [ "$skipped" = 0 ] && [ "$aborted" = 0 ] && [ "$ran" = "$found" ] && [ "$passed" = "$ran" ] \
    && [ "$cfailed" = 0 ] && [ "$ran" -gt 0 ] || ok=0
  t_found=$((t_found + found)) t_ran=$((t_ran + ran)) t_passed=$((t_passed + passed))
  t_failed=$((t_failed + failed)) t_skipped=$((t_skipped + skipped)) t_aborted=$((t_aborted + aborted))
done
log "kernel $kernel; cgroup.controllers: $controllers"
log "$t_ran checks ran, $t_passed passed, $t_failed failed ($t_found found, $t_skipped skipped, $t_aborted aborted) in ${took}s"
log "logs and JUnit XML reports: $WORK"
if [ $broken -eq 1 ]; then
  if [ $ok -eq 0 ] && grep -q "className = 'io.alicecontainer.v2.BrokenV2LimitCheck'" "$WORK/root.log"; then
    log "SELF-CHECK: the deliberately broken check failed, and so does the lane, as they must"
  else
    log "SELF-CHECK: the deliberately broken check did not fail the lane: the lane cannot catch a wrong v2 limit"
  fi
fi
if [ $ok -eq 1 ]; then log "PASS"; exit 0; fi
log "FAIL"
exit 1
