#!/bin/sh
# Builds the spawn shim for this machine's architecture into OUT/linux-<arch>/libalice-spawn.so.
# Called by the Maven build (exec-maven-plugin); CC overrides the compiler.
set -eu
out=${1:?usage: build.sh OUTPUT_DIR}
src=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-}
if [ -z "$cc" ]; then
  for c in cc gcc clang; do
    if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
  done
fi
if [ -z "$cc" ]; then
  echo "ERROR: ALICE-Container needs a C compiler to build its spawn shim (src/main/c)." >&2
  echo "ERROR: none of cc, gcc, clang is on PATH. Install one (Debian/Ubuntu: apt-get install gcc) or set CC." >&2
  exit 1
fi
case $(uname -m) in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) echo "ERROR: the spawn shim supports x86_64 and aarch64, not $(uname -m)" >&2; exit 1 ;;
esac
mkdir -p "$out/linux-$arch"
"$cc" -std=gnu11 -O2 -fPIC -shared -Wall -Wextra -Werror -fno-stack-protector \
  -o "$out/linux-$arch/libalice-spawn.so" "$src/alice_spawn.c" "$src/alice_seccomp.c"
