package io.alicecontainer.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

import io.alicecontainer.ByteSize;
import io.alicecontainer.DurationText;
import io.alicecontainer.junit.internal.Baseline;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Compares an isolated test's memory peak and CPU time with the baseline named by
 * {@code alice.baseline}: a figure past the baseline plus its tolerance is a regression, told
 * with both figures. Tests the baseline does not know pass (they are new).
 */
final class RegressionGate {
    static final String BASELINE = "alice.baseline";
    static final String MEMORY = "alice.baseline.tolerance.memory.peak";
    static final String CPU = "alice.baseline.tolerance.cpu.time";
    static final String DEFAULT_MEMORY = "20%+5M";
    static final String DEFAULT_CPU = "100%+100ms";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RegressionGate.class);

    /** Allowed = baseline × (1 + percent/100) + absolute; null where the figure is not checked. */
    record Tolerance(double percent, long absolute) {
        long allowed(long baseline) {
            return (long) Math.floor(baseline * (1 + percent / 100)) + absolute;
        }

        /** "20%+5M", "30%", "5M", "off"; {@code unit} parses the absolute part. */
        static Tolerance parse(String text, ToLongFunction<String> unit, String where) {
            String t = text.replace(" ", "");
            if (t.equalsIgnoreCase("off")) return null;
            double pct = 0;
            long abs = 0;
            try {
                for (String part : t.split("\\+")) {
                    if (part.endsWith("%")) pct += Double.parseDouble(part.substring(0, part.length() - 1));
                    else abs += unit.applyAsLong(part);
                }
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(where + " '" + text + "' is not a tolerance: use a percentage, an"
                        + " amount or both, as in 20%+5M or 20%+50ms, or off (" + e.getMessage() + ")");
            }
            if (pct < 0 || t.isEmpty()) throw new ExtensionConfigurationException(where + " '" + text + "' is not a tolerance");
            return new Tolerance(pct, abs);
        }
    }

    private RegressionGate() {
    }

    /**
     * The regressions of the test against the baseline, as messages; none without a baseline.
     * Adds the baseline's figures to {@code entries} ({@code alice.baseline.*}) for the reports.
     */
    static List<String> check(ExtensionContext ctx, Map<String, String> entries) {
        Optional<String> path = ctx.getConfigurationParameter(BASELINE).filter(p -> !p.isBlank());
        if (path.isEmpty()) return List.of();
        Baseline.Figures base = baseline(ctx, Path.of(path.get())).get(ctx.getUniqueId());
        if (base == null) {
            entries.put("alice.baseline", "none");
            return List.of();
        }
        BaselineTolerance a = IsolationSettings.lookup(ctx.getTestMethod().orElse(null), ctx.getRequiredTestClass(),
                BaselineTolerance.class).orElse(null);
        Tolerance mem = tolerance(ctx, a == null ? "" : a.memoryPeak(), MEMORY, DEFAULT_MEMORY, ByteSize::parse);
        Tolerance cpu = tolerance(ctx, a == null ? "" : a.cpuTime(), CPU, DEFAULT_CPU,
                s -> DurationText.parse(s).toNanos() / 1000);
        entries.put("alice.baseline.memory.peak.bytes", Long.toString(base.memoryPeakBytes()));
        entries.put("alice.baseline.cpu.time.us", Long.toString(base.cpuTimeUs()));
        List<String> out = new ArrayList<>();
        compare(out, "memory peak", number(entries.get("alice.memory.peak.bytes")), base.memoryPeakBytes(), mem,
                ByteSize::format, t -> String.format(Locale.ROOT, "%s%% + %s", pct(t), ByteSize.format(t.absolute())));
        compare(out, "cpu time", number(entries.get("alice.cpu.time.us")), base.cpuTimeUs(), cpu,
                us -> DurationText.format(Duration.ofNanos(us * 1000)),
                t -> String.format(Locale.ROOT, "%s%% + %s", pct(t), DurationText.format(Duration.ofNanos(t.absolute() * 1000))));
        return out;
    }

    private static void compare(List<String> out, String what, long now, long base, Tolerance t, LongFunction<String> fmt,
                                java.util.function.Function<Tolerance, String> tolText) {
        if (t == null || now < 0 || base < 0) return;
        long allowed = t.allowed(base);
        if (now > allowed) {
            out.add(what + " " + fmt.apply(now) + " is over the baseline's " + fmt.apply(base) + " + " + tolText.apply(t)
                    + " = " + fmt.apply(allowed));
        }
    }

    private static Tolerance tolerance(ExtensionContext ctx, String annotated, String key, String dflt, ToLongFunction<String> unit) {
        if (!annotated.isBlank()) return Tolerance.parse(annotated, unit, "@BaselineTolerance");
        return Tolerance.parse(ctx.getConfigurationParameter(key).orElse(dflt), unit, key);
    }

    /** Read once per run (the root store), so tests writing their reports meanwhile do not change it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Baseline.Figures> baseline(ExtensionContext ctx, Path path) {
        return (Map<String, Baseline.Figures>) ctx.getRoot().getStore(NS).getOrComputeIfAbsent(path.toAbsolutePath().toString(), k -> {
            if (!Files.exists(path)) {
                throw new ExtensionConfigurationException(BASELINE + " '" + path + "' does not exist: point it at an earlier"
                        + " alice-reports folder or a summary written by ReportMain --baseline");
            }
            try {
                return Baseline.read(path);
            } catch (IOException e) {
                throw new ExtensionConfigurationException("cannot read the baseline " + BASELINE + " '" + path + "': " + e.getMessage(), e);
            }
        });
    }

    private static String pct(Tolerance t) {
        return t.percent() == Math.rint(t.percent()) ? Long.toString((long) t.percent()) : Double.toString(t.percent());
    }

    private static long number(String v) {
        try {
            return v == null ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
