package io.alicecontainer.psi;

import java.time.Duration;

/** Durations as people read them in messages: {@code 150 ms}, {@code 2 s}, {@code 1.5 s}, {@code 250 µs}. */
final class PsiFormat {
    private PsiFormat() {
    }

    static String duration(Duration d) {
        long us = d.toNanos() / 1000;
        if (d.toNanos() % 1000 != 0) return d.toNanos() + " ns";
        if (us != 0 && us % 1_000_000 == 0) return us / 1_000_000 + " s";
        if (us >= 1_000_000 && us % 1000 == 0) return trim(us / 1e6) + " s";
        if (us != 0 && us % 1000 == 0) return us / 1000 + " ms";
        if (us >= 1000) return trim(us / 1e3) + " ms";
        return us + " µs";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
