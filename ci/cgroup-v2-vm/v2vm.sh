#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# v2vm.sh - run a command on a pure cgroup-v2 Linux kernel inside a throwaway QEMU VM.
#
# Why: ALICE-Container's v2 backend needs a unified cgroup hierarchy with controllers, but
# our development and CI machines have a hybrid layout (v1 controllers, an empty v2 tree).
# This script boots Debian's stock kernel with cgroup v1 switched off, shows the guest the
# host's own root filesystem (read-only, with a throwaway in-memory layer on top, so the
# host's JDK and build output are there without building a disk image), and runs a script.
#
# Usage:
#   v2vm.sh setup                  install packages, fetch the kernel, build the boot image
#                                  (idempotent; needs root for apt-get)
#   v2vm.sh run DIR [TIMEOUT_S]    boot, run DIR/cmd.sh as root in the guest (cwd DIR, DIR
#                                  shared read-write at the same path), power off; exits with
#                                  cmd.sh's exit status, 125 if the guest never reported one
#                                  (crash, timeout). TIMEOUT_S defaults to 600.
#   v2vm.sh selftest               boot once and check cgroup v2 limits (memory OOM kill,
#                                  pids.max, io.max, cpu.max) and `java -version`
#
# Environment:
#   ALICE_V2VM_CACHE      cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/alice-container/v2vm)
#   ALICE_V2VM_MEM        guest memory (default 4G)       ALICE_V2VM_CPUS  vCPUs (default 2)
#   ALICE_V2VM_DISK_MB    size of the scratch disk /dev/vda (default 256)
#   ALICE_V2VM_ACCEL      tcg (default) or kvm where /dev/kvm really works
#   ALICE_V2VM_CGROUP     run cmd.sh in this cgroup (e.g. /ci.slice/job) instead of the root
#                         cgroup, like a CI job under systemd; its ancestors get all controllers
#   ALICE_V2VM_APPEND     extra kernel command line arguments (e.g. loglevel=7 to see boot messages)
#   ALICE_V2VM_KERNEL_PKG Debian kernel package (default: what linux-image-amd64 depends on)
#
# In the guest, cmd.sh gets a clean environment: PATH, HOME=/root, LANG=C.UTF-8, TERM=dumb,
# and JAVA_HOME if it is set on the host. stdin is /dev/null; stdout and stderr go to the
# serial console, which is this script's stdout.
set -euo pipefail

HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
CACHE=${ALICE_V2VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alice-container/v2vm}
MEM=${ALICE_V2VM_MEM:-4G}
CPUS=${ALICE_V2VM_CPUS:-2}
DISK_MB=${ALICE_V2VM_DISK_MB:-256}
ACCEL=${ALICE_V2VM_ACCEL:-tcg}

PACKAGES=(qemu-system-x86 busybox-static cpio kmod xz-utils)   # kmod: depmod
# Drivers the guest's init needs before it can reach the host's files. Debian builds them as
# modules, so they go into the boot image together with whatever they depend on.
MODULES=(virtio_pci virtio_blk 9pnet_virtio 9p overlay)

log() { echo "v2vm: $*" >&2; }
die() { log "error: $*"; exit 2; }

# --- setup ------------------------------------------------------------------------------------

apt_updated=
apt_update_once() {
  [ -n "$apt_updated" ] && return
  log "apt-get update"
  apt-get update -q >/dev/null
  apt_updated=1
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run setup as root"
  apt_update_once
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

kernel_package() {
  if [ -n "${ALICE_V2VM_KERNEL_PKG:-}" ]; then echo "$ALICE_V2VM_KERNEL_PKG"; return; fi
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
  if [ -z "$pkg" ]; then
    apt_update_once
    pkg=$(apt-cache depends linux-image-amd64 | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
  fi
  [ -n "$pkg" ] || die "cannot tell which kernel package linux-image-amd64 stands for"
  echo "$pkg"
}

# The kernel package is downloaded and unpacked, not installed: installing it would run
# the host's initramfs and boot loader hooks for a kernel the host never boots.
fetch_kernel() {
  if compgen -G "$CACHE/linux-image-*.deb" >/dev/null; then return; fi
  local pkg tmp
  pkg=$(kernel_package)
  tmp=$(mktemp -d "$CACHE/download.XXXXXX")
  log "downloading $pkg"
  # APT::Sandbox::User=root: as root, apt would otherwise try to download as _apt into a
  # directory _apt cannot write to, and complain.
  if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null); then
    # Stale package lists name a version the archive no longer has: refresh them once.
    [ -z "$apt_updated" ] || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
    apt_update_once
    pkg=$(kernel_package)
    log "downloading $pkg"
    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null) \
      || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
  fi
  mv "$tmp"/*.deb "$CACHE/"
  rm -rf "$tmp"
}

# Prints the load order of a module and its dependencies (dependencies first), using the
# kernel's modules.dep. Built-in drivers print nothing.
module_order() {   # module_order MODDIR NAME...
  local moddir=$1; shift
  awk -v want="$*" '
    function visit(p,   n, i, f) {
      if (p in seen) return
      seen[p] = 1
      n = split(line[p], f, " ")
      for (i = 2; i <= n; i++) visit(f[i])
      print p
    }
    { sub(":", "", $1); line[$1] = $0
      name = $1; sub(/.*\//, "", name); sub(/\.ko.*/, "", name); gsub(/-/, "_", name); path[name] = $1 }
    END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (w[i] in path) visit(path[w[i]]) }
  ' "$moddir/modules.dep"
}

# Writes the uncompressed ELF kernel that a bzImage carries. QEMU can boot it directly through
# its PVH entry point, which skips the firmware's real-mode boot and the kernel decompressing
# itself; under software emulation that saves ~2.5 s per boot. The layout is the x86 boot
# protocol's (Documentation/x86/boot.rst): setup_sects at 0x1f1, payload_offset and
# payload_length at 0x248/0x24c, counted from the protected-mode code after the setup sectors.
extract_vmlinux() {   # extract_vmlinux BZIMAGE OUT
  local img=$1 out=$2 setup_sects offset length
  setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$img" | tr -d ' ')
  [ "$setup_sects" -ne 0 ] || setup_sects=4
  offset=$(od -An -tu4 -j $((0x248)) -N4 "$img" | tr -d ' ')
  length=$(od -An -tu4 -j $((0x24c)) -N4 "$img" | tr -d ' ')
  tail -c +$(((setup_sects + 1) * 512 + offset + 1)) "$img" | head -c "$length" > "$out.payload"
  case $(od -An -tx1 -N4 "$out.payload" | tr -d ' ') in
    fd377a58) xz -dc --single-stream "$out.payload" > "$out" 2>/dev/null ;;
    1f8b*)    gzip -dc "$out.payload" > "$out" 2>/dev/null ;;
    *)        false ;;
  esac || true
  rm -f "$out.payload"
  [ "$(od -An -tx1 -N4 "$out" 2>/dev/null | tr -d ' ')" = 7f454c46 ] || { rm -f "$out"; return 1; }
}

# The boot image is rebuilt when this script (which holds the guest's /init) or the kernel
# package changes.
image_stamp() {
  { cat "${BASH_SOURCE[0]}"; cd "$CACHE" && ls linux-image-*.deb; } | sha256sum | cut -d' ' -f1
}

build_image() {
  local stamp; stamp=$(image_stamp)
  if [ -f "$CACHE/image.stamp" ] && [ "$(cat "$CACHE/image.stamp")" = "$stamp" ] \
     && [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/initramfs.cpio.gz" ]; then
    log "boot image is up to date ($(cat "$CACHE/kernel.version"))"
    return
  fi
  local work; work=$(mktemp -d "$CACHE/build.XXXXXX")
  # shellcheck disable=SC2064  # expand $work now
  trap "rm -rf '$work'" EXIT
  log "unpacking $(basename "$CACHE"/linux-image-*.deb)"
  dpkg-deb -x "$CACHE"/linux-image-*.deb "$work/pkg"
  # Modules live in /lib/modules (bookworm) or /usr/lib/modules (later releases).
  local moddir base kver
  moddir=$(echo "$work"/pkg/lib/modules/* "$work"/pkg/usr/lib/modules/* | tr ' ' '\n' | grep -v '\*$')
  [ "$(echo "$moddir" | wc -l)" -eq 1 ] || die "expected one kernel in the package, found: $moddir"
  kver=$(basename "$moddir")
  base=${moddir%/lib/modules/*}
  # The package ships no modules.dep: its postinst would run depmod. Do that here.
  depmod -b "$base" "$kver"

  # The initramfs: a static busybox, our /init and the driver modules in load order.
  local root=$work/initramfs m
  mkdir -p "$root"/{bin,dev,proc,sys,mnt,newroot,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  guest_init > "$root/init"
  chmod 755 "$root/init"
  : > "$root/lib/modules/load-order"
  for m in $(module_order "$moddir" "${MODULES[@]}"); do
    case $m in   # insmod cannot read compressed modules: decompress them here
      *.ko)     cp "$moddir/$m" "$root/lib/modules/" ;;
      *.ko.xz)  xz -dc "$moddir/$m" > "$root/lib/modules/$(basename "$m" .xz)" ;;
      *.ko.zst) zstd -qdc "$moddir/$m" > "$root/lib/modules/$(basename "$m" .zst)" ;;
      *) die "unexpected module file $m" ;;
    esac
    basename "${m%.ko*}.ko" >> "$root/lib/modules/load-order"
  done
  for m in "${MODULES[@]}"; do   # each wanted driver is now either in the image or built in
    tr - _ < "$root/lib/modules/load-order" | grep -qx "$m.ko" \
      || tr - _ < "$moddir/modules.builtin" | grep -q "/$m.ko\$" \
      || die "kernel $kver has no driver $m"
  done
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$work/initramfs.cpio.gz"

  local loaded; loaded=$(sed 's/\.ko$//' "$root/lib/modules/load-order" | tr '\n' ' ')
  # Files are replaced with mv, so a VM booting meanwhile reads either the old or the new one.
  rm -f "$CACHE/vmlinux"
  if grep -qx 'CONFIG_PVH=y' "$work/pkg/boot/config-$kver" \
     && extract_vmlinux "$work/pkg/boot/vmlinuz-$kver" "$work/vmlinux"; then
    mv "$work/vmlinux" "$CACHE/vmlinux"
    log "kernel: uncompressed vmlinux for a PVH boot"
  else
    log "kernel: no PVH boot possible, booting the compressed vmlinuz (slower)"
  fi
  mv "$work/pkg/boot/vmlinuz-$kver" "$CACHE/vmlinuz"
  mv "$work/initramfs.cpio.gz" "$CACHE/initramfs.cpio.gz"
  echo "$kver" > "$CACHE/kernel.version"
  echo "$stamp" > "$CACHE/image.stamp"
  rm -rf "$work"
  trap - EXIT
  log "boot image built: kernel $kver, initramfs $(du -h "$CACHE/initramfs.cpio.gz" | cut -f1), modules: $loaded"
}

setup() {
  install_packages
  mkdir -p "$CACHE"
  fetch_kernel
  build_image
}

# --- the guest's /init -----------------------------------------------------------------------

# Runs as PID 1 from the initramfs. It loads the drivers, mounts cgroup2 with the controllers
# enabled, builds the guest's root from the host's / (9p, read-only) under a tmpfs overlay,
# mounts the work dir read-write at its own path, makes that the root to run cmd.sh, records the
# exit status in the work dir and powers off. Arguments come on the kernel command line as
# v2vm.<name>=<value>.
guest_init() {
cat <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
set -f   # no globbing: paths from the command line are used as they are
mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
stty -F /dev/console -onlcr 2>/dev/null   # plain \n on the console, so the host's log has no \r

say() { read -r up _ </proc/uptime; echo "v2vm[${up}s]: $*"; }
halt() { sync; poweroff -f; sleep 10; }
fail() { say "FATAL: $*"; halt; }

# shellcheck disable=SC2013  # the command line is one line of blank-separated words
for word in $(cat /proc/cmdline); do
  case $word in
    v2vm.dir=*)       DIR=${word#*=} ;;
    v2vm.cgroup=*)    CGROUP=${word#*=} ;;
    v2vm.java_home=*) JAVA_HOME_ARG=${word#*=} ;;
  esac
done
say "kernel $(uname -r)"

while read -r m; do
  insmod "/lib/modules/$m" || fail "insmod $m"
done </lib/modules/load-order

# cgroup v2 only: the kernel command line switched v1 off, so every controller is free.
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || fail "cannot mount cgroup2"
echo "+cpu +memory +pids +io +cpuset" > /sys/fs/cgroup/cgroup.subtree_control \
  || fail "cannot enable controllers (available: $(cat /sys/fs/cgroup/cgroup.controllers))"

# 9p mount, retried: the virtio devices may still be settling right after insmod.
mount_9p() {   # mount_9p TAG DIR OPTIONS
  i=0
  until mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,$3" "$1" "$2" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 50 ] || return 1; sleep 0.1
  done
}

# The root: host / read-only (cache=loose: the host does not change it during a run), with
# a tmpfs as the writable upper layer, so writes succeed and vanish at power-off.
R=/newroot
mount_9p hostroot /mnt ro,cache=loose || fail "cannot mount the host's root (9p tag hostroot)"
mkdir -p /run && mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/upper /run/work
mount -t overlay overlay -o lowerdir=/mnt,upperdir=/run/upper,workdir=/run/work $R \
  || fail "cannot mount the overlay root"
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t cgroup2 -o nsdelegate cgroup2 $R/sys/fs/cgroup
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
mount -t tmpfs -o mode=1777 tmpfs $R/tmp
mount -t tmpfs -o mode=755 tmpfs $R/run
hostname v2vm

[ -n "${DIR:-}" ] || { say "no work dir given"; halt; }
mkdir -p "$R$DIR"
# cache=mmap: no caching of the read-write share, but mmap(2) still works.
mount_9p work "$R$DIR" cache=mmap || fail "cannot mount the work dir $DIR (9p tag work)"
rm -f "$R$DIR/.exit-status"

if [ -n "${CGROUP:-}" ]; then   # like systemd: controllers on every ancestor, none in the leaf
  mkdir -p "/sys/fs/cgroup$CGROUP" || fail "cannot create cgroup $CGROUP"
  p=/sys/fs/cgroup rest=${CGROUP#/}
  while [ "${rest#*/}" != "$rest" ]; do
    p=$p/${rest%%/*} rest=${rest#*/}
    echo "+cpu +memory +pids +io +cpuset" > "$p/cgroup.subtree_control" || fail "cannot enable controllers in $p"
  done
fi

say "running $DIR/cmd.sh in cgroup ${CGROUP:-/}"
(
  [ -z "${CGROUP:-}" ] || echo 0 > "/sys/fs/cgroup${CGROUP%/}/cgroup.procs" || exit 125
  # Not a plain chroot into $R: the kernel refuses user namespaces (clone with CLONE_NEWUSER:
  # EPERM) to a process whose root is not its mount namespace's root. In a mount namespace of
  # its own, $R is moved onto / and entered, as switch_root does; this init keeps its own view.
  # shellcheck disable=SC2016  # $1, $2 are expanded by the guest's /bin/sh
  exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    USER=root LOGNAME=root LANG=C.UTF-8 TERM=dumb ${JAVA_HOME_ARG:+JAVA_HOME=$JAVA_HOME_ARG} \
    /bin/unshare -m /bin/sh -c 'cd "$2" && /bin/mount --move . / && exec /bin/chroot . /bin/sh -c '"'"'cd "$1" && exec /bin/sh ./cmd.sh'"'"' v2vm "$1"' \
    v2vm "$DIR" "$R"
)
status=$?
say "cmd.sh exited with status $status"
echo $status > "$R$DIR/.exit-status" || say "cannot record the exit status"
kill -KILL -1 2>/dev/null   # leftover background processes of cmd.sh
umount "$R$DIR" 2>/dev/null
halt
INIT
}

# --- run --------------------------------------------------------------------------------------

run() {   # run DIR [TIMEOUT_S]
  local dir timeout_s=${2:-600}
  dir=$(realpath -e -- "$1") || die "no such directory: $1"
  [ -f "$dir/cmd.sh" ] || die "$dir/cmd.sh does not exist"
  [[ $timeout_s =~ ^[0-9]+$ ]] || die "timeout must be a number of seconds: $timeout_s"
  # The dir travels on the kernel command line, which splits at blanks.
  [[ $dir =~ [[:space:]\"] ]] && die "the work dir path must not contain blanks or quotes: $dir"
  if ! command -v qemu-system-x86_64 >/dev/null || [ ! -f "$CACHE/image.stamp" ]; then
    die "not set up: run '$0 setup' first"
  fi
  # The boot image is cheap to rebuild (~5 s, no network): do it when this script has changed.
  [ "$(cat "$CACHE/image.stamp")" = "$(image_stamp)" ] || build_image

  local append="console=ttyS0 quiet panic=-1 systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all"
  append+=" ${ALICE_V2VM_APPEND:-} v2vm.dir=$dir"
  if [ -n "${ALICE_V2VM_CGROUP:-}" ]; then
    local cgroup=/${ALICE_V2VM_CGROUP#/}
    [[ $cgroup =~ ^(/[A-Za-z0-9_.:@-]+)+/?$ ]] || die "bad ALICE_V2VM_CGROUP: $ALICE_V2VM_CGROUP"
    append+=" v2vm.cgroup=${cgroup%/}"
  fi
  if [ -n "${JAVA_HOME:-}" ] && [[ ! $JAVA_HOME =~ [[:space:]\"] ]]; then append+=" v2vm.java_home=$JAVA_HOME"; fi

  local kernel=$CACHE/vmlinux
  [ -f "$kernel" ] || kernel=$CACHE/vmlinuz
  local accel=(-accel tcg -cpu max)
  [ "$ACCEL" = kvm ] && accel=(-accel kvm -cpu host)

  # A sparse scratch disk, /dev/vda in the guest: io.max and io.stat need a block device.
  local disk; disk=$(mktemp "${TMPDIR:-/tmp}/v2vm-disk.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -f '$disk'" EXIT
  truncate -s "${DISK_MB}M" "$disk"
  rm -f "$dir/.exit-status"

  local started qemu_status=0
  started=$(date +%s%N)
  # In QEMU option values a comma is written as two.
  timeout -k 10 "$timeout_s" qemu-system-x86_64 \
    -nodefaults -no-user-config -display none -no-reboot \
    "${accel[@]}" -m "$MEM" -smp "$CPUS" \
    -serial stdio \
    -kernel "$kernel" -initrd "$CACHE/initramfs.cpio.gz" -append "$append" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=${dir//,/,,},mount_tag=work,security_model=none,multidevs=remap" \
    -drive "file=${disk//,/,,},if=virtio,format=raw,cache=unsafe" \
    </dev/null &
  # timeout(1) puts QEMU in a process group of its own, so a Ctrl-C or a CI runner's SIGTERM
  # would not reach it: pass them on, and wait until QEMU is really gone.
  local qemu_pid=$!
  # shellcheck disable=SC2064
  trap "kill -TERM $qemu_pid 2>/dev/null" INT TERM
  while :; do
    wait "$qemu_pid" && qemu_status=0 || qemu_status=$?
    kill -0 "$qemu_pid" 2>/dev/null || break
  done
  trap - INT TERM EXIT
  rm -f "$disk"
  [ $qemu_status -eq 124 ] && log "timed out after ${timeout_s}s"
  [ $qemu_status -ne 0 ] && [ $qemu_status -ne 124 ] && log "qemu exited with status $qemu_status"

  local status took
  took=$(( ($(date +%s%N) - started) / 100000000 ))
  took="$((took / 10)).$((took % 10))s"
  status=$(cat "$dir/.exit-status" 2>/dev/null || true)
  if [[ ! $status =~ ^[0-9]+$ ]]; then
    log "the guest reported no exit status (after $took)"
    return 125
  fi
  log "cmd.sh exit status $status ($took from start to power-off)"
  return "$status"
}

# --- selftest ---------------------------------------------------------------------------------

selftest_cmd() {   # selftest_cmd EXPECTED_KERNEL_VERSION
cat <<EOF
#!/bin/sh
expected_kernel='$1'
EOF
cat <<'EOF'
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
uptime() { cut -d' ' -f1 /proc/uptime; }
cg=/sys/fs/cgroup

kernel=$(uname -r)
if [ "$kernel" = "$expected_kernel" ]; then pass "uname -r: $kernel"; else fail "uname -r: $kernel, expected $expected_kernel"; fi

fstype=$(stat -f -c %T $cg)
if [ "$fstype" = cgroup2fs ]; then pass "cgroup2 mounted at $cg"; else fail "$cg is $fstype"; fi
if grep -q ' cgroup ' /proc/mounts; then fail "a cgroup v1 hierarchy is mounted"; else pass "no cgroup v1 hierarchy"; fi
echo "cgroup.controllers: $(cat $cg/cgroup.controllers)"
echo "cgroup.subtree_control: $(cat $cg/cgroup.subtree_control)"
missing=
for c in cpu memory pids io cpuset; do grep -qw $c $cg/cgroup.subtree_control || missing="$missing $c"; done
if [ -z "$missing" ]; then pass "cpu memory pids io cpuset enabled for children"; else fail "not enabled:$missing"; fi

# memory.max: a process that touches 100 MiB in a 32 MiB cgroup gets OOM-killed.
# (dd's buffer is bs bytes; reading /dev/zero into it touches every page.)
mkdir $cg/selftest-mem
echo 32M > $cg/selftest-mem/memory.max
sh -c "echo 0 > $cg/selftest-mem/cgroup.procs && exec dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null"
dd_status=$?
oom_kill=$(awk '$1 == "oom_kill" {print $2}' $cg/selftest-mem/memory.events)
if [ "$(cat $cg/selftest-mem/memory.max)" = 33554432 ] && [ "${oom_kill:-0}" -ge 1 ] && [ $dd_status -eq 137 ]; then
  pass "memory.max=32M: 100M allocation OOM-killed (exit $dd_status, oom_kill $oom_kill)"
else
  fail "memory.max=32M: exit $dd_status, memory.events: $(tr '\n' ' ' < $cg/selftest-mem/memory.events)"
fi

# pids.max: the 5th process in a cgroup with pids.max=4 cannot be forked.
mkdir $cg/selftest-pids
echo 4 > $cg/selftest-pids/pids.max
sh -c "echo 0 > $cg/selftest-pids/cgroup.procs; for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait" 2>/dev/null
pids_max=$(awk '$1 == "max" {print $2}' $cg/selftest-pids/pids.events)
if [ "$(cat $cg/selftest-pids/pids.max)" = 4 ] && [ "${pids_max:-0}" -ge 1 ]; then
  pass "pids.max=4: forks refused (pids.events max $pids_max)"
else
  fail "pids.max=4: pids.max $(cat $cg/selftest-pids/pids.max), pids.events: $(cat $cg/selftest-pids/pids.events)"
fi

# io.max on the scratch disk: 4 MiB of direct writes at 2 MiB/s take about 2 s.
mkdir $cg/selftest-io
if [ -b /dev/vda ]; then
  dev=$(cat /sys/block/vda/dev)
  echo "$dev wbps=2097152" > $cg/selftest-io/io.max
  t0=$(uptime)
  sh -c "echo 0 > $cg/selftest-io/cgroup.procs && exec dd if=/dev/zero of=/dev/vda bs=1M count=4 oflag=direct 2>/dev/null"
  t1=$(uptime)
  wbytes=$(sed -n 's/.*wbytes=\([0-9]*\).*/\1/p' $cg/selftest-io/io.stat)
  took=$(awk "BEGIN { print $t1 - $t0 }")
  if grep -q "wbps=2097152" $cg/selftest-io/io.max && [ "${wbytes:-0}" -ge 4194304 ] && awk "BEGIN { exit !($took >= 1.4) }"; then
    pass "io.max wbps=2M on /dev/vda ($dev): 4 MiB written in ${took}s"
  else
    fail "io.max on /dev/vda: io.max '$(cat $cg/selftest-io/io.max)', io.stat '$(cat $cg/selftest-io/io.stat)', ${took}s"
  fi
else
  fail "no scratch disk /dev/vda"
fi

# cpu.max and cpuset are accepted.
mkdir $cg/selftest-cpu
if echo "50000 100000" > $cg/selftest-cpu/cpu.max && [ "$(cat $cg/selftest-cpu/cpu.max)" = "50000 100000" ] \
   && echo 0 > $cg/selftest-cpu/cpuset.cpus && [ "$(cat $cg/selftest-cpu/cpuset.cpus.effective)" = 0 ]; then
  pass "cpu.max and cpuset.cpus accepted"
else
  fail "cpu.max '$(cat $cg/selftest-cpu/cpu.max)', cpuset.cpus.effective '$(cat $cg/selftest-cpu/cpuset.cpus.effective)'"
fi

# The host's JDK works in the guest (it needs /proc/self/exe to be right, hence multidevs=remap).
if command -v java >/dev/null; then
  t0=$(uptime)
  if java -version 2>&1; then pass "java -version ($(awk "BEGIN { print $(uptime) - $t0 }")s)"; else fail "java -version"; fi
else
  echo "SKIP: no java on PATH"
fi

sleep 1   # let the last pids.max sleepers go
rmdir $cg/selftest-* 2>/dev/null
echo "$failures failure(s)"
exit $((failures > 100 ? 100 : failures))
EOF
}

selftest() {
  [ -f "$CACHE/kernel.version" ] || die "not set up: run '$0 setup' first"
  local dir status=0
  dir=$(mktemp -d "${TMPDIR:-/tmp}/v2vm-selftest.XXXXXX")
  selftest_cmd "$(cat "$CACHE/kernel.version")" > "$dir/cmd.sh"
  run "$dir" 300 || status=$?
  rm -rf "$dir"
  if [ $status -eq 0 ]; then echo "selftest: PASS"; else echo "selftest: FAIL (status $status)"; fi
  return $status
}

case "${1:-}" in
  setup)    setup ;;
  run)      [ $# -ge 2 ] || die "usage: $0 run DIR [TIMEOUT_SECONDS]"; run "$2" "${3:-600}" ;;
  selftest) selftest ;;
  *)        awk 'NR > 3 && !/^#/ {exit} NR > 3 {sub(/^# ?/, ""); print}' "$0"; exit 2 ;;
esac
