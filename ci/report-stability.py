#!/usr/bin/env python3
"""How stable the gate's figures are run to run: give it the alice-reports folders of N runs
of the same tests (e.g. ci/samples.sh run N times, each folder copied aside). For the memory
peak and the CPU time of each test it prints the spread across the runs, and how many
(baseline run, later run) pairs the default tolerances (+20% +5 MiB, +20% +50 ms) would have
failed although nothing changed.
   usage: ci/report-stability.py reports1 reports2 ... reportsN"""
import glob, json, os, statistics, sys

runs = []
for d in sys.argv[1:]:
    r = {}
    for p in glob.glob(os.path.join(d, "*", "*.json")):
        j = json.load(open(p, encoding="utf-8"))
        if "uniqueId" in j and j.get("status") == "SUCCESSFUL":
            r[j["uniqueId"]] = (j["class"].rsplit(".", 1)[-1] + " " + j["test"], j["usage"])
    runs.append(r)
common = sorted(set.intersection(*(set(r) for r in runs)))
figures = [("memory peak", "alice.memory.peak.bytes", 2**20, "MiB", 0.20, 5 * 2**20),
           ("cpu time", "alice.cpu.time.us", 1000, "ms", 0.20, 50_000)]
print("%d runs, %d tests passed in every run\n" % (len(runs), len(common)))
for name, key, div, unit, pct, absolute in figures:
    rel, spans, false_fail, pairs, rows = [], [], 0, 0, []
    for uid in common:
        v = [r[uid][1][key] for r in runs if r[uid][1].get(key, -1) >= 0]
        if len(v) < 2:
            continue
        mean = statistics.mean(v)
        rel.append((max(v) - min(v)) / mean if mean else 0)
        spans.append(max(v) - min(v))
        rows.append((rel[-1], runs[0][uid][0], min(v) / div, max(v) / div, statistics.stdev(v) / mean if mean else 0))
        for b in v:
            for n in v:
                if b is n:
                    continue
                pairs += 1
                false_fail += n > b * (1 + pct) + absolute
    # the smallest percentage (beside the absolute part) that no unchanged run pair exceeds
    need = max(((n - absolute) / b - 1 for uid in common
                for v in [[r[uid][1][key] for r in runs if r[uid][1].get(key, -1) > 0]]
                for b in v for n in v), default=0)
    rel.sort(); spans.sort()
    print("%s (%d tests): spread (max-min)/mean median %.1f%%, 90th pct %.1f%%, worst %.1f%%; "
          "largest absolute spread %.1f %s" % (name, len(rel), 100 * statistics.median(rel),
          100 * rel[int(0.9 * (len(rel) - 1))], 100 * rel[-1], spans[-1] / div, unit))
    print("  default tolerance (+%d%% +%g %s) would have failed %d of %d run pairs" % (
        pct * 100, absolute / div, unit, false_fail, pairs))
    print("  with +%g %s, a tolerance of +%.0f%% would have failed none" % (absolute / div, unit, max(0, 100 * need)))
    for r in sorted(rows, reverse=True)[:5]:
        print("    %-70.70s %8.1f .. %8.1f %s  (stdev %.1f%%)" % (r[1], r[2], r[3], unit, 100 * r[4]))
    print()
