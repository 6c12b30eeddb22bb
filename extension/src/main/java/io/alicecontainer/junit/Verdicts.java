package io.alicecontainer.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.ByteSize;
import io.alicecontainer.ExecResult;
import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;
import io.alicecontainer.DurationText;

/** Turns what the kernel did and what the test used into failure messages. */
final class Verdicts {
    private Verdicts() {
    }

    /** Why the kernel (or the timeout) ended the child JVM, or null when it ended by itself. */
    static String kernelKill(IsolationSettings s, ExecResult r) {
        if (r.timedOut()) {
            return "timed out: the container was killed after " + r.wallTime().toMillis() + " ms"
                    + (s.timeout() == null ? "" : " (the test's timeout is " + DurationText.format(s.timeout()) + ")");
        }
        if (r.oomKilled()) {
            return "killed by the OOM killer: memory limit " + (s.memoryBytes() == null ? "of the host" : ByteSize.format(s.memoryBytes()))
                    + " reached (peak " + ByteSize.format(r.usage().memoryPeakBytes()) + ")";
        }
        if (s.pids() != null && r.usage().pidsPeak() >= s.pids() && r.exitCode() != 0) {
            return "the pids limit of " + s.pids() + " tasks was reached (peak " + r.usage().pidsPeak() + "): the child JVM "
                    + (r.signal() != 0 ? "was killed by signal " + r.signal() : "exited with code " + r.exitCode());
        }
        if (r.signal() != 0) return "the child JVM was killed by signal " + r.signal();
        return null;
    }

    /**
     * Each declared budget the test went over, as "cpu time 812.4 ms is over the budget of 500.0 ms".
     * The memory budget is checked against the test's own peak ({@code testPeak}); where the
     * kernel cannot measure that (-1), against the container's, and the message says so.
     */
    static List<String> budgetViolations(IsolationSettings.Budget b, ExecResult r, ResourceUsage test, long testPeak) {
        ResourceUsage t = test != null ? test : r.usage();
        List<String> out = new ArrayList<>();
        long peak = testPeak >= 0 ? testPeak : r.usage().memoryPeakBytes();
        String what = testPeak >= 0 ? "memory peak of the test" : "memory peak of the container (the test's own is not measured on this host)";
        if (b.memoryPeak() != null) {
            if (peak < 0) out.add("memory peak is not reported on this host: cannot check the budget of " + ByteSize.format(b.memoryPeak()));
            else if (peak > b.memoryPeak()) out.add(what + " " + ByteSize.format(peak) + " is over the budget of " + ByteSize.format(b.memoryPeak()));
        }
        over(out, "cpu time", t.cpuTime(), b.cpuTime());
        stall(out, "cpu stall", t.cpuPressure(), b.cpuStall());
        stall(out, "memory stall", t.memoryPressure(), b.memoryStall());
        stall(out, "io stall", t.ioPressure(), b.ioStall());
        return out;
    }

    private static void stall(List<String> out, String what, Pressure p, Duration budget) {
        if (budget == null) return;
        if (!p.available()) {
            out.add(what + " is not reported on this host (no PSI for the cgroup): cannot check the budget of " + DurationText.format(budget));
            return;
        }
        over(out, what, p.someTotal(), budget);
    }

    private static void over(List<String> out, String what, Duration measured, Duration budget) {
        if (budget != null && measured.compareTo(budget) > 0) {
            out.add(what + " " + DurationText.format(measured) + " is over the budget of " + DurationText.format(budget));
        }
    }
}
