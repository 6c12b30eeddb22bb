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
rm -rf "$reports" "$surefire"   # no report of an earlier run may pass for this one

echo "== building runtime and extension (tests skipped: ci/test.sh runs them)"
mvn -B -ntp -q -DskipTests install -pl runtime,extension -am

echo "== running the samples"
status=0
mvn -B -ntp verify -pl sample-tests || status=$?

echo
echo "== resources used by each isolated test (from $reports/**/*.json)"
python3 - "$reports" "$surefire" <<'PY' || status=$?
import glob, json, os, sys
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
in_xml = 0
for path in glob.glob(os.path.join(surefire, "TEST-*.xml")):
    for case in ET.parse(path).getroot().iter("testcase"):
        out = case.find("system-out")
        if out is not None and out.text and "alice.memory.peak.bytes=" in out.text:
            in_xml += 1
failed = [r for r in rows if r[2] != "SUCCESSFUL"]
print()
print("%d of %d isolated tests have their alice.* usage in Surefire's XML (<system-out>)" % (in_xml, len(rows)))
if in_xml < len(rows):
    failed.append(("usage missing from Surefire's XML report",))
print("%d isolated tests reported, %d not successful; Surefire: %d tests, %d failures, %d errors, %d skipped"
      % (len(rows), len(failed), tests, failures, errors, skipped))
sys.exit(1 if failed or not rows or tests == 0 or failures or errors else 0)
PY

echo
echo "Surefire XML reports: $surefire/TEST-*.xml"
echo "JSON usage reports:   $reports/<class>/<test>.json"
if [ "$status" != 0 ]; then
  echo "== samples FAILED" >&2
  exit 1
fi
echo "== samples passed"
