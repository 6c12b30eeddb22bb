package io.alicecontainer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in annotations, parameters and assertions ("500ms", "2s", "1.5s",
 * "250us", "3m", "1h") and as messages show them ("412.3 ms"); the counterpart of {@link ByteSize}.
 */
public final class DurationText {
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|min|h)\\s*");

    private DurationText() {
    }

    /**
     * Parses a non-negative number with a unit {@code ns}, {@code us} (or {@code µs}), {@code ms},
     * {@code s} or {@code m}/{@code min}. The unit is required: a bare "500" is ambiguous.
     */
    public static Duration parse(String text) {
        if (text == null) throw new IllegalArgumentException("a duration is required, got null");
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a duration: use a number with a unit "
                    + "ns, us, ms, s, m or h, as in 500ms, 2s, 1.5s");
        }
        long nanosPerUnit = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 60_000_000_000L;
        };
        try {
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
            return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("`" + text + "` is too long a duration", e);
        }
    }

    /** "412.3 ms": milliseconds, as cgroup CPU times are compared in practice. */
    public static String format(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** "412.345 ms": enough digits to tell apart two values that {@link #format} shows alike. */
    public static String formatExact(Duration d) {
        return String.format(Locale.ROOT, "%.6f ms", d.toNanos() / 1e6);
    }
}
