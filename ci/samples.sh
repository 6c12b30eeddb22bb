#!/usr/bin/env bash
# The README's "main job": builds the runtime and the extension, runs the sample tests
# (sample-tests/, each isolated test in its own container) and prints what every isolated test
# used, from the JSON reports the extension writes. Exits non-zero when a sample failed.
# Run as root (containers need it) on a Debian/Ubuntu machine; it installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /bin/busybox ] || need+=(busybox-static)      # the rootfs samples build a busybox root filesystem
command -v python3 >/dev/null || need+=(python3)    # the Sandbox samples run python3; this script's report too
command -v ldd >/dev/null || need+=(libc-bin)       # CustomRootFsTests copies the JDK's C libraries
command -v cc >/dev/null || command -v gcc >/dev/null || need+=(gcc)   # the runtime's spawn shim
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${need[*]} (and the samples need root anyway: run this script as root)" >&2
    exit 2
  fi
  echo "== installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

reports=sample-tests/target/alice-reports
surefire=sample-tests/target/surefire-reports
rm -rf "$reports" "$surefire" sample-tests/target/jacoco.exec   # nothing of an earlier run may pass for this one

echo "== building runtime and extension, running the samples (the modules' own tests: ci/test.sh)"
# One reactor build: the samples use the runtime and extension just built here, not whatever
# the local Maven repository holds. -Dtest selects the samples; the other modules have none.
status=0
mvn -B -ntp verify -pl sample-tests -am -Dtest='io.alicecontainer.samples.**' -Dsurefire.failIfNoSpecifiedTests=false || status=$?

echo
echo "== resources used by each isolated test (from $reports/**/*.json)"
python3 - "$reports" "$surefire" <<'PY' || status=$?
import glob, json, os, sys
import socket
import xml.etree.ElementTree as ET

reports, surefire = sys.argv[1], sys.argv[2]
rows = []
for path in sorted(glob.glob(os.path.join(reports, "**", "*.json"), recursive=True)):
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    u = r["usage"]
    def ms(key):
        v = u.get(key, -1)
        return "n/a" if v < 0 else "%.0f" % (v / 1000)
    peak = u.get("alice.memory.peak.bytes", -1)
    rows.append((r["class"].rsplit(".", 1)[-1], r["test"], r["status"],
                 "n/a" if peak < 0 else "%.1f" % (peak / 2**20), ms("alice.cpu.time.us"),
                 str(u.get("alice.cpu.throttled.periods", "n/a")), ms("alice.pressure.cpu.some.us"),
                 ms("alice.pressure.memory.some.us"), ms("alice.pressure.io.some.us"), str(u.get("alice.oom.kills", "n/a"))))
rows.sort()
head = ("class", "test", "status", "mem peak MiB", "cpu ms", "throttled", "cpu stall ms", "mem stall ms", "io stall ms", "oom kills")
width = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
numeric = range(3, len(head))
def line(cells):
    return "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, width)))
print(line(head))
print("  ".join("-" * w for w in width))
for row in rows:
    print(line(row))

tests = failures = errors = skipped = 0
for path in glob.glob(os.path.join(surefire, "TEST-*.xml")):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0)); failures += int(suite.get("failures", 0))
    errors += int(suite.get("errors", 0)); skipped += int(suite.get("skipped", 0))
# The usage must reach Surefire's XML report: Surefire drops JUnit report entries, so the
# extension also prints them as one "[alice] ..." line that Surefire keeps as <system-out>.
outputs = []
for path in glob.glob(os.path.join(surefire, "TEST-*.xml")):
    for case in ET.parse(path).getroot().iter("testcase"):
        out = case.find("system-out")
        if out is not None and out.text:
            outputs.append(out.text)
# (Surefire may file the output of concurrent tests under a neighbour: look in all of them.)
everything = "\n".join(outputs)
in_xml = sum(1 for r in rows if "[alice] %s: alice.memory.peak.bytes=" % r[1] in everything)
# JaCoCo: the children inherit the agent and must append their sessions to the test JVM's
# file, not overwrite it. Sessions are named after the host name: a child's is its container's
# (or "unknownhost" in a rootfs without /etc/hosts), the test JVM's the machine's.
def jacoco_sessions(path):
    data = open(path, "rb").read()
    pos, ids = 0, []
    def varint():
        nonlocal pos
        v = shift = 0
        while True:
            b = data[pos]; pos += 1
            v |= (b & 0x7F) << shift; shift += 7
            if not b & 0x80:
                return v
    def utf():
        nonlocal pos
        n = int.from_bytes(data[pos:pos + 2], "big"); pos += 2
        s = data[pos:pos + n].decode("utf-8", "replace"); pos += n
        return s
    while pos < len(data):
        block = data[pos]; pos += 1
        if block == 0x01: pos += 4
        elif block == 0x10: ids.append(utf()); pos += 16
        elif block == 0x11: pos += 8; utf(); n = varint(); pos += (n + 7) // 8
        else: raise ValueError("unknown JaCoCo block %#x at %d" % (block, pos - 1))
    return ids
exec_file = os.path.join(os.path.dirname(surefire), "jacoco.exec")
sessions = jacoco_sessions(exec_file) if os.path.exists(exec_file) else []
host = socket.gethostname() + "-"
children = [s for s in sessions if not s.startswith(host)]
failed = [r for r in rows if r[2] != "SUCCESSFUL"]
print()
print("JaCoCo: %d sessions in %s, %d of them from isolated children" % (len(sessions), exec_file, len(children)))
if len(children) < len(rows) or len(sessions) <= len(children):
    failed.append(("coverage of the children missing or clobbered",))
print()
print("%d of %d isolated tests have their alice.* usage in Surefire's XML (<system-out>)" % (in_xml, len(rows)))
if in_xml < len(rows):
    failed.append(("usage missing from Surefire's XML report",))
print("%d isolated tests reported, %d not successful; Surefire: %d tests, %d failures, %d errors, %d skipped"
      % (len(rows), len(failed), tests, failures, errors, skipped))
sys.exit(1 if failed or not rows or tests == 0 or failures or errors else 0)
PY

echo
echo "== the HTML report, in a headless browser"
bash ci/report-check.sh "$reports" CpuLimit || status=1

echo
echo "HTML report:          $reports/index.html (screenshot: $reports/report-screenshot.png)"
echo "Surefire XML reports: $surefire/TEST-*.xml"
echo "JSON usage reports:   $reports/<class>/<test>.json"
if [ "$status" != 0 ]; then
  echo "== samples FAILED" >&2
  exit 1
fi
echo "== samples passed"
