package io.alicecontainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * How a command run by {@link Container#exec} ended and what the container used.
 *
 * @param argv             the command
 * @param exitCode         the exit code; {@code 128 + signal} when a signal ended it (as shells report)
 * @param signal           the signal that ended it, 0 when it exited
 * @param oomKilled        whether the OOM killer killed a process in the container during the command
 * @param timedOut         whether the container was killed because the command ran past its timeout
 * @param stdoutBytes      captured standard output, at most the configured limit
 * @param stdoutTruncated  whether standard output went past the limit (the rest was dropped)
 * @param wallTime         from spawn to exit
 * @param usage            the container's usage during the command, read after it ended: counters
 *                         and pressure totals of this command alone, peaks of the container
 */
public record ExecResult(List<String> argv, int exitCode, int signal, boolean oomKilled, boolean timedOut,
                         byte[] stdoutBytes, boolean stdoutTruncated, byte[] stderrBytes, boolean stderrTruncated,
                         Duration wallTime, ResourceUsage usage) implements java.io.Serializable {

    public ExecResult {
        argv = List.copyOf(argv);
    }

    /** Standard output as UTF-8 text. */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Standard error as UTF-8 text. */
    public String stderr() {
        return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    /** Exit code 0, no signal. */
    public boolean succeeded() {
        return exitCode == 0 && signal == 0;
    }

    /** In words: "exit code 3", "killed by the OOM killer", "killed after its 2 s timeout". */
    public String outcome() {
        if (timedOut) return "killed after its timeout (" + wallTime.toMillis() + " ms)";
        if (oomKilled && signal == 9) return "killed by the OOM killer (memory peak " + ByteSize.format(usage.memoryPeakBytes()) + ")";
        if (signal != 0) return "killed by signal " + signal + (oomKilled ? " (the OOM killer struck in the container)" : "");
        return "exit code " + exitCode + (oomKilled ? " (the OOM killer struck in the container)" : "");
    }

    @Override
    public String toString() {
        return "ExecResult[" + String.join(" ", argv) + ": " + outcome() + ", " + wallTime.toMillis() + " ms, " + usage + "]";
    }
}
