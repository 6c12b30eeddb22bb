package io.alicecontainer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes in the notation of {@code -Xmx}: a number with an optional binary unit {@code K}, {@code M},
 * {@code G} or {@code T} (also {@code KiB}, {@code MB}..., all meaning powers of 1024).
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*([KkMmGgTt]?)(i?[Bb])?\\s*");
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;

    private ByteSize() {
    }

    /**
     * Parses "64M", "512k", "1G", "4096".
     *
     * @throws IllegalArgumentException for an unknown unit, a negative or zero value, or overflow
     */
    public static long parse(String text) {
        if (text == null) throw new IllegalArgumentException("a size is required, got null");
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a size: use a positive number with an optional "
                    + "unit K, M, G or T (powers of 1024), as for -Xmx: 64M, 1G");
        }
        long shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + text + "` is too large", e);
        }
        if (n <= 0) throw new IllegalArgumentException("`" + text + "` must be positive");
        if (n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("`" + text + "` is too large");
        return n << shift;
    }

    /** "64.0 MiB", "512.0 KiB", "17 B"; "-" for a negative (unknown) value. */
    public static String format(long bytes) {
        if (bytes < 0) return "-";
        if (bytes < KIB) return bytes + " B";
        if (bytes < MIB) return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        if (bytes < MIB * 1024) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (MIB * 1024));
    }
}
