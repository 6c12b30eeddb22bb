#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this). Run as root on a fresh Debian/Ubuntu
# machine: it installs what the tests need, then builds and tests every module with Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /bin/busybox ] || need+=(busybox-static)          # the custom-rootfs test builds a busybox rootfs
command -v python3 >/dev/null || need+=(python3)        # memory and network probes inside containers
command -v cc >/dev/null || command -v gcc >/dev/null || need+=(gcc)   # the spawn shim
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== host: $(uname -r), $(nproc) CPUs, cgroups: $(grep -c cgroup /proc/self/mountinfo) mounts"
mvn -B -ntp verify

# The HTML report the sample tests left (sample-tests/target/alice-reports/index.html), checked in
# a real headless browser; the screenshot stays there as an artifact. Installs chromium if missing.
bash ci/report-check.sh sample-tests/target/alice-reports CpuLimit

# Rootless mode: isolated tests as an unprivileged user (setpriv), with a delegated subtree of this
# job's own cgroups, without one (the clear error) and with alice.isolation.rootless.limits=optional.
bash ci/rootless.sh

# A user's project against the oldest supported JUnit and Surefire (JDK 17) and the newest (JDK 25);
# the whole matrix is ci/compat-matrix.sh without --quick (README: Supported versions).
bash ci/compat-matrix.sh --quick

# The pure cgroup-v2 lane: the runtime's container tests in a VM with a v2-only kernel.
bash ci/v2-lane.sh
