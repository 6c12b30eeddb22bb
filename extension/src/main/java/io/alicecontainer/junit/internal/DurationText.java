package io.alicecontainer.junit.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in annotations and parameters: "500ms", "2s", "1500us", "1.5 s", "3m". */
public final class DurationText {
    private static final Pattern D = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|min|h)\\s*");

    private DurationText() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Duration parse(String text) {
        Matcher m = D.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a duration: use a number with a unit ns, us, ms, s, m or h, e.g. 500ms");
        }
        double v = Double.parseDouble(m.group(1));
        double nanos = v * switch (m.group(2)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m", "min" -> 60e9;
            default -> 3600e9;
        };
        if (nanos <= 0) throw new IllegalArgumentException("`" + text + "` must be positive");
        return Duration.ofNanos((long) nanos);
    }

    /** "412.3 ms". */
    public static String format(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
