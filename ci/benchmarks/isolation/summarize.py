#!/usr/bin/env python3
"""Helpers of ci/benchmarks/isolation.sh: read one Maven run, print the table, the breakdown.

  summarize.py record  VARIANT REP PROJECT_DIR MAVEN_LOG WALL_S OWN_CPU_S OTHERS_CPU_S EXPECTED_TESTS >> runs.jsonl
  summarize.py table   runs.jsonl launcher.tsv VARIANTS_TSV NCPU
  summarize.py trace   TRACE_FILE CHILD_STDOUT_FILE ALICE_REPORT_DIR
  summarize.py classes CLASS_LOAD_LOG
"""
import glob
import json
import os
import re
import statistics
import sys
import xml.etree.ElementTree as ET

STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")


def stamp_s(line):
    m = STAMP.match(line)
    if not m:
        return None
    h, mi, s, ms = (int(g) for g in m.groups())
    return h * 3600 + mi * 60 + s + ms / 1000.0


def mojo_seconds(log):
    """Seconds from the Surefire mojo's start line to BUILD SUCCESS, from Maven's timestamped log."""
    start = end = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            if start is None and re.search(r"--- (maven-)?surefire(-plugin)?:[^ ]*:test ", line):
                start = stamp_s(line)
            elif start is not None and "BUILD SUCCESS" in line:
                end = stamp_s(line)
                break
    if start is None or end is None:
        return None
    if end < start:  # past midnight
        end += 86400
    return end - start


def record(variant, rep, project, log, wall, own_cpu, others_cpu, expected):
    rep_dir = os.path.join(project, "target", "surefire-reports")
    suites = cases = 0
    suite_time = 0.0
    case_times = []
    bad = 0
    for x in sorted(glob.glob(os.path.join(rep_dir, "TEST-*.xml"))):
        root = ET.parse(x).getroot()
        suites += 1
        suite_time += float(root.get("time", "0").replace(",", ""))
        for a in ("failures", "errors", "skipped"):
            bad += int(root.get(a, "0"))
        for tc in root.iter("testcase"):
            cases += 1
            case_times.append(float(tc.get("time", "0").replace(",", "")))
    walls, cpus, lives = [], [], []
    for j in glob.glob(os.path.join(project, "target", "alice-reports", "*", "*.json")):
        with open(j, encoding="utf-8") as f:
            usage = json.load(f)["usage"]
        walls.append(float(usage["alice.container.wall.ms"]) / 1000.0)
        if "alice.container.cpu.time.us" in usage:
            # a pooled child's figure starts at hand-over; its boot is reported beside it
            after = float(usage["alice.container.cpu.time.us"]) / 1e6
            cpus.append(after)
            lives.append(after + float(usage.get("alice.container.boot.cpu.us", "0")) / 1e6)
    expected = int(expected)
    skip_tests = expected == 0
    out = {
        "variant": variant, "rep": int(rep), "mvn_wall": float(wall), "mojo": mojo_seconds(log),
        "own_cpu": float(own_cpu), "others_cpu": float(others_cpu),
        "suites": suites, "tests": cases, "xml_suite_sum": suite_time, "xml_case_sum": sum(case_times),
        "xml_case_median": statistics.median(case_times) if case_times else None,
        "container_wall_median": statistics.median(walls) if walls else None, "containers": len(walls),
        "container_cpu_median": statistics.median(cpus) if cpus else None,
        "child_life_cpu_median": statistics.median(lives) if lives else None,
    }
    problems = []
    if not skip_tests and out["mojo"] is None:
        problems.append("no Surefire start / BUILD SUCCESS lines in " + log)
    if cases != expected:
        problems.append("%d test cases in the Surefire XML, expected %d" % (cases, expected))
    if bad:
        problems.append("%d failed, errored or skipped tests" % bad)
    if problems:
        sys.stderr.write("variant %s rep %s: %s\n" % (variant, rep, "; ".join(problems)))
        sys.exit(1)
    print(json.dumps(out))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec="%.3f", none="-"):
    return none if x is None else spec % x


# an isolated variant and the launcher row with the same JVM options: cold children ~ the launcher
# with the children's options; children with the CDS archive ~ the launcher with an AppCDS archive
PAIRS = (("b0", "c1"), ("bA", "appcds"), ("bB", "appcds"))


def table(runs_file, launcher_file, variants_file, ncpu):
    ncpu = int(ncpu)
    runs = [json.loads(l) for l in open(runs_file, encoding="utf-8") if l.strip()]
    variants = []  # (key, tests, label)
    for l in open(variants_file, encoding="utf-8"):
        if l.strip():
            k, n, label = l.rstrip("\n").split("\t", 2)
            variants.append((k, int(n), label))
    by = {}
    for r in runs:
        by.setdefault(r["variant"], []).append(r)
    launch, labels, lothers, lcpu = {}, {}, {}, {}
    for l in open(launcher_file, encoding="utf-8"):
        if l.strip():
            k, label, secs, own, others = l.rstrip("\n").split("\t")
            launch.setdefault(k, []).append(float(secs))
            lothers.setdefault(k, []).append(float(others) / (float(secs) * ncpu))
            lcpu.setdefault(k, []).append(float(own))
            labels[k] = label
    cold = med(launch.get("default", []))
    cold_cpu = med(lcpu.get("default", []))
    base_wall = med(r["mvn_wall"] for r in by.get("base", []))
    a_mojo = med(r["mojo"] for r in by.get("a", []))
    a_cpu = med(r["own_cpu"] for r in by.get("a", []))

    cols = ("variant (20 trivial tests)", "mojo s", "min–max", "per test s", "over (a) s", "÷ cold java",
            "CPU over (a) s", "÷ java CPU", "child CPU s", "after hand-over s", "mvn−base s", "XML Σ s", "others")
    rows = []
    summary = {}
    for k, n, label in variants:
        if n == 0 or k not in by:
            continue
        rs = by[k]
        mojo = med(r["mojo"] for r in rs)
        is_a = k == "a"
        over = (mojo - a_mojo) / n if (a_mojo is not None and not is_a) else None
        cpu = med(r["own_cpu"] for r in rs)
        over_cpu = (cpu - a_cpu) / n if (a_cpu is not None and not is_a) else None
        wall = med(r["mvn_wall"] for r in rs)
        summary[k] = dict(over=over, over_cpu=over_cpu, case=med(r["xml_case_median"] for r in rs),
                          cwall=med(r["container_wall_median"] for r in rs))
        ccpu = med(r.get("container_cpu_median") for r in rs)
        lcpu_child = med(r.get("child_life_cpu_median") for r in rs)
        cells = (label, "%.2f" % mojo, "%.2f–%.2f" % (min(r["mojo"] for r in rs), max(r["mojo"] for r in rs)), "%.3f" % (mojo / n),
                 "0" if is_a else fmt(over, "%+.3f"), "-" if is_a else fmt(over / cold if cold else None, "%.2f×"),
                 "0" if is_a else fmt(over_cpu, "%+.3f"), "-" if is_a else fmt(over_cpu / cold_cpu if cold_cpu else None, "%.2f×"),
                 fmt(lcpu_child), fmt(ccpu),
                 fmt(wall - base_wall if base_wall is not None else None, "%.2f"), "%.2f" % med(r["xml_suite_sum"] for r in rs),
                 "%.0f%%" % (100 * med(r["others_cpu"] / (r["mvn_wall"] * ncpu) for r in rs)))
        rows.append(cells)
    widths = [max(len(r[i]) for r in [cols] + rows) for i in range(len(cols))]
    line = lambda cells: "| " + " | ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)) + " |"
    print(line(cols))
    print("|" + "|".join("-" * (x + 2) if i == 0 else "-" * (x + 1) + ":" for i, x in enumerate(widths)) + "|")
    for r in rows:
        print(line(r))
    print()
    print("mojo s: Surefire mojo start → BUILD SUCCESS (median); per test = mojo s ÷ 20; over (a) = (mojo s − (a)'s) ÷ 20, what")
    print("a test costs beyond running in-process; ÷ cold java = over (a) ÷ the median cold console-launcher run below")
    print("(default options); CPU over (a) = (user+sys CPU time of the whole mvn run, children included, − (a)'s) ÷ 20, and")
    print("÷ java CPU divides it by the launcher run's CPU time: contention on a shared machine stretches wall time more than")
    print("CPU time; mvn−base = whole mvn wall time − a -DskipTests run (median %s s); XML Σ = Surefire XML testsuite"
          % fmt(base_wall, "%.2f"))
    print("times summed (they miss the forks' JVM starts); others = CPU time other processes used during the run, as a share")
    print("of the machine's %d CPUs (median); child CPU s = the median CPU time of one isolated test's container, the child" % ncpu)
    print("JVM's whole life (start, test, exit: alice.container.cpu.time.us plus, for a pooled child, its boot before hand-over,")
    print("alice.container.boot.cpu.us); after hand-over s = alice.container.cpu.time.us alone (a cold child: the same);")
    print("medians over the rounds. Pooled children booted for tests that never came are only in CPU over (a).")
    print()
    print("Cold JVM, JUnit console launcher, one trivial test (%d runs per row, each a fresh java):" % len(launch.get("default", [])))
    lw = max(len(v) for v in labels.values())
    order = ["default", "c1", "appcds"]
    for k in sorted(launch, key=lambda k: order.index(k) if k in order else len(order)):
        xs = launch[k]
        print(("  %-" + str(lw) + "s  median %.3f s  (min %.3f, max %.3f); CPU %.3f s; others %.0f%%")
              % (labels[k], med(xs), min(xs), max(xs), med(lcpu[k]), 100 * med(lothers[k])))
    print()
    print("An isolated test vs a cold launcher run with the same JVM options (issue 4's target: at most 1.1×; issue 9's:")
    print("at most 0.12 s per test over in-process, CPU per child at most 0.3 s):")
    for v, l in PAIRS:
        s = summary.get(v)
        c = med(launch.get(l, []))
        cc = med(lcpu.get(l, []))
        if s and s["over"] is not None and c:
            r = s["over"] / c
            print("  %-4s wall %.3f s ÷ %-7s %.3f s = %.2f×  %-8s CPU %.3f s ÷ %.3f s = %.2f×"
                  % (v, s["over"], l, c, r, "met" if r <= 1.1 else "NOT met", s["over_cpu"], cc, s["over_cpu"] / cc))
    for k in [v[0] for v in variants if v[0].startswith("b") and v[0] != "base"]:
        s = summary.get(k)
        if s and s["case"] is not None:
            print("  %-4s median Surefire testcase time %.3f s; median alice.container.wall.ms %s s (the child JVM, spawn to exit)"
                  % (k, s["case"], fmt(s["cwall"])))


def trace(trace_file, child_out, report_dir):
    events = []  # (t_ns, role, event, id)
    for l in open(trace_file, encoding="utf-8"):
        p = l.split()
        if len(p) >= 4:
            events.append((int(p[0]), p[1], p[2], p[3]))
    # HotSpot lines: [<timenanos>ns][<uptimenanos>ns][info][startuptime] Create VM, 0.0206339 secs
    vm = []  # (t_ns, uptime_ns, text)
    hs = re.compile(r"\[(\d+)ns\]\[(\d+)ns\](?:\[[^\]]*\])*\s*(.*)")
    if os.path.exists(child_out):
        for l in open(child_out, encoding="utf-8", errors="replace"):
            m = hs.search(l)
            if m:
                vm.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    windows = []  # parent's test start/end per test
    starts = {}
    for t, role, ev, uid in events:
        if role == "parent" and ev == "test.start":
            starts[uid] = t
        elif role == "parent" and ev == "test.end" and uid in starts:
            windows.append((starts.pop(uid), t))
    keys = ("spawn", "vm", "boot", "setup", "test", "teardown", "exit", "reap", "total")
    phases = {k: [] for k in keys}
    for p0, p1 in windows:
        child = {}
        for t, role, ev, uid in events:
            if role == "child" and p0 <= t <= p1:
                child.setdefault(ev, t)
        inside = [v for v in vm if p0 <= v[0] <= p1]
        created = [v[0] for v in inside if v[2].startswith("Create VM")]
        exiting = [v[0] for v in inside if v[2].startswith("Heap")]
        need = ("plan.start", "test.start", "test.end", "plan.end")
        if not (inside and created and exiting and all(k in child for k in need)):
            continue
        vm_start = min(v[0] - v[1] for v in inside)
        marks = [p0, vm_start, created[0], child["plan.start"], child["test.start"], child["test.end"],
                 child["plan.end"], min(exiting), p1]
        for k, a, b in zip(keys, marks, marks[1:]):
            phases[k].append(b - a)
        phases["total"].append(p1 - p0)
    n = len(phases["total"])
    labels = [
        ("spawn", "parent: test started → the child's HotSpot starts (settings, request, cgroup mkdir, clone3 into the namespaces, mounts, execve java, libjli, dlopen libjvm)"),
        ("vm", "HotSpot 'Create VM' (heap, CDS mapping, java.lang init, module system)"),
        ("boot", "→ the child's plan starts (ForkedTestAgent.main, read the request, LauncherFactory.create with ServiceLoader, discovery of the test by unique id)"),
        ("setup", "→ the test starts (engine and class nodes, the agent's first cgroup usage read, the extension, the test instance)"),
        ("test", "the test method, as JUnit in the child times it"),
        ("teardown", "→ the child's plan finishes (class and engine nodes end, the agent's second usage read)"),
        ("exit", "→ HotSpot begins to exit (the result written to fd 4, System.exit, shutdown hooks)"),
        ("reap", "→ parent: test finished (VM teardown, process exit, wait, usage read, cgroup rmdir, report entries and JSON)"),
        ("total", "total: the isolated test as the parent's listener sees it"),
    ]
    print("Where an isolated test's time goes: median ms over %d tests (CLOCK_MONOTONIC timestamps from a listener in parent"
          " and child and from the child's -Xlog:startuptime and gc+heap+exit lines)" % n)
    if not n:
        return
    tot = statistics.median(phases["total"])
    for k, text in labels:
        m = statistics.median(phases[k]) / 1e6
        share = "" if k == "total" else "%5.1f%%" % (100.0 * statistics.median(phases[k]) / tot)
        print("  %7.1f ms %6s  %s" % (m, share, text))
    walls = []
    for j in glob.glob(os.path.join(report_dir, "*", "*.json")):
        with open(j, encoding="utf-8") as f:
            walls.append(json.load(f)["usage"]["alice.container.wall.ms"])
    if walls:
        print("  %7d ms         alice.container.wall.ms (the runtime's spawn-to-exit time), median over %d tests"
              % (statistics.median(walls), len(walls)))


def classes(log):
    total = 0
    src = {"CDS archive (base)": 0, "CDS archive (top: dynamic AppCDS)": 0, "jrt:/ (JDK modules, parsed)": 0,
           "jar/dir (classpath, parsed)": 0, "other (generated, lambdas)": 0}
    for l in open(log, encoding="utf-8", errors="replace"):
        if "source:" not in l:
            continue
        total += 1
        if "shared objects file (top)" in l:
            src["CDS archive (top: dynamic AppCDS)"] += 1
        elif "shared objects file" in l:
            src["CDS archive (base)"] += 1
        elif "source: jrt:/" in l:
            src["jrt:/ (JDK modules, parsed)"] += 1
        elif "source: file:" in l or "source: jar:" in l:
            src["jar/dir (classpath, parsed)"] += 1
        else:
            src["other (generated, lambdas)"] += 1
    print("%5d classes: %s" % (total, ", ".join("%s %d" % (k, v) for k, v in src.items() if v)))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"record": record, "table": table, "trace": trace, "classes": classes}[cmd](*args)
