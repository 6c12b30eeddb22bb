"""The report of real-suite.sh: per-test outcomes of each row against the in-process row, and
wall time and CPU side by side.

  [PARTIAL=1] compare.py RESULTS_DIR ROW...   (PARTIAL=1: a row stopped early is compared over the
                                   classes it finished; rows: inproc, class, method; RESULTS_DIR/<row>.json, .log,
                                   .surefire/TEST-*.xml, .alice/<class>/*.json)
Exit status 1 when an isolated row's outcomes differ from the in-process row's.
"""
import collections
import glob
import json
import os
import re
import statistics
import sys
import xml.etree.ElementTree as ET

STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")


def outcomes(surefire_dir):
    """(class, test name) -> list of outcomes (a name can repeat: parameterized display names)."""
    out = collections.defaultdict(list)
    suite_time = 0.0
    for x in sorted(glob.glob(os.path.join(surefire_dir, "TEST-*.xml"))):
        root = ET.parse(x).getroot()
        suite_time += float(root.get("time", "0").replace(",", ""))
        for tc in root.iter("testcase"):
            kinds = {c.tag for c in tc}
            if "error" in kinds:
                o = "error"
            elif "failure" in kinds:
                o = "failed"
            elif "skipped" in kinds:
                o = "skipped"
            else:
                o = "passed"
            out[(tc.get("classname", ""), tc.get("name", ""))].append(o)
    for v in out.values():
        v.sort()
    return out, suite_time


def first_message(surefire_dir, cls, name):
    for x in glob.glob(os.path.join(surefire_dir, "TEST-*.xml")):
        for tc in ET.parse(x).getroot().iter("testcase"):
            if tc.get("classname") == cls and tc.get("name") == name:
                for c in tc:
                    if c.tag in ("failure", "error"):
                        msg = (c.get("message") or c.get("type") or "").strip().splitlines()
                        return (c.get("type", "") + ": " + (msg[0] if msg else ""))[:220]
    return ""


def mojo_seconds(log):
    start = end = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = STAMP.match(line)
            if not m:
                continue
            t = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) + int(m.group(4)) / 1000.0
            if start is None and re.search(r"--- (maven-)?surefire(-plugin)?:[^ ]*:test ", line):
                start = t
            elif start is not None and re.search(r"BUILD (SUCCESS|FAILURE)", line):
                end = t
    if start is None or end is None:
        return None
    return end - start + (86400 if end < start else 0)


def children(alice_dir):
    """Per container: CPU from hand-over (+ the pooled child's boot), wall; one JSON per container.

    Method granularity: every test's JSON is its own container. Class granularity: the class
    node's JSON ("alice.granularity" = class, a uniqueId ending in a class segment) stands for the
    container; its tests' JSONs repeat the container's figures."""
    cpus, walls, boots, pooled = [], [], [], 0
    for j in glob.glob(os.path.join(alice_dir, "*", "*.json")):
        try:
            with open(j, encoding="utf-8") as f:
                rec = json.load(f)
        except (OSError, ValueError):
            continue
        u = rec.get("usage", {})
        uid = rec.get("uniqueId", "")
        if u.get("alice.granularity") == "class" and not re.search(r"\[(class|nested-class):[^\]]*\]$", uid):
            continue
        if u.get("alice.granularity") == "class" and "[nested-class:" in uid:
            continue  # a @Nested class runs in its enclosing class's container
        if "alice.container.cpu.time.us" not in u:
            continue
        boot = float(u.get("alice.container.boot.cpu.us", 0)) / 1e6
        cpus.append(float(u["alice.container.cpu.time.us"]) / 1e6 + boot)
        walls.append(float(u.get("alice.container.wall.ms", 0)) / 1000.0)
        if u.get("alice.container.pooled") in (True, "true"):
            pooled += 1
            boots.append(boot)
    return cpus, walls, boots, pooled


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def main():
    res, rows = sys.argv[1], sys.argv[2:]
    data = {}
    for r in rows:
        with open(os.path.join(res, r + ".json"), encoding="utf-8") as f:
            d = json.load(f)
        d["outcomes"], d["xml_sum"] = outcomes(os.path.join(res, r + ".surefire"))
        d["mojo"] = mojo_seconds(os.path.join(res, r + ".log"))
        d["children"] = children(os.path.join(res, r + ".alice"))
        data[r] = d

    def counts(o):
        c = collections.Counter(x for v in o.values() for x in v)
        return c

    print("| row | tests | passed | failed | errors | skipped | mvn wall s | surefire s | CPU s | others' CPU s | wall ÷ in-process | surefire ÷ | CPU ÷ | load avg start → end |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    base = data.get("inproc")
    for r in rows:
        d = data[r]
        c = counts(d["outcomes"])
        n = sum(c.values())
        ratio = lambda k: ("%.2f×" % (d[k] / base[k])) if base and base.get(k) and d.get(k) is not None else "-"
        print("| %s | %d | %d | %d | %d | %d | %.1f | %s | %.1f | %.1f | %s | %s | %s | %s → %s |" % (
            r, n, c["passed"], c["failed"], c["error"], c["skipped"], d["wall"],
            "%.1f" % d["mojo"] if d["mojo"] is not None else "-", d["cpu"], d["others"],
            ratio("wall"), ratio("mojo"), ratio("cpu"), d["load0"], d["load1"]))
    print()
    print("mvn wall: the whole `mvn -o test`; surefire: from the Surefire mojo's start line to BUILD SUCCESS")
    print("(Maven's own start left out); CPU: user+sys of mvn and all it waited for (the fork, and the")
    print("containers' processes, children of the fork); others: busy CPU of the machine during the row")
    print("minus that, i.e. other people's work.")
    print()
    for r in rows:
        cpus, walls, boots, pooled = data[r]["children"]
        if not cpus:
            continue
        print("%s: %d containers (%d from the pool); CPU per child (from hand-over, plus a pooled child's boot) median %.2f s, p10 %.2f s, p90 %.2f s, sum %.0f s; container wall median %.2f s, sum %.0f s%s" % (
            r, len(cpus), pooled, statistics.median(cpus), pct(cpus, 0.1), pct(cpus, 0.9), sum(cpus),
            statistics.median(walls), sum(walls),
            ("; boot CPU of pooled children median %.2f s" % statistics.median(boots)) if boots else ""))
    print()
    if not base:
        return 0
    status = 0
    if not base["outcomes"]:
        print("in-process: no test ran (see %s)" % os.path.join(res, "inproc.log"))
        return 1
    for r in rows:
        if r == "inproc":
            continue
        o, b = data[r]["outcomes"], base["outcomes"]
        if os.environ.get("PARTIAL") == "1":
            # a row stopped early: only the classes it finished
            done = {cls for cls, _ in o}
            b = {k: v for k, v in b.items() if k[0] in done}
            print("%s: PARTIAL=1, compared over the %d classes it finished" % (r, len(done)))
        diffs = []
        for k in sorted(set(o) | set(b)):
            if o.get(k) != b.get(k):
                diffs.append((k, b.get(k, ["absent"]), o.get(k, ["absent"])))
        if not diffs:
            print("%s: the same %d tests with the same outcomes as in-process" % (r, sum(len(v) for v in b.values())))
            continue
        status = 1
        print("%s: %d test(s) differ from in-process:" % (r, len(diffs)))
        for (cls, name), was, now in diffs:
            msg = first_message(os.path.join(res, r + ".surefire"), cls, name) if any(x in ("failed", "error") for x in now) else ""
            print("  %s.%s: in-process %s, %s %s%s" % (cls, name, "/".join(was), r, "/".join(now), ("  [" + msg + "]") if msg else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
