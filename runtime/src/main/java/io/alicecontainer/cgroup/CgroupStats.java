package io.alicecontainer.cgroup;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.alicecontainer.Pressure;

/** Parsers for the formats of cgroup files (Documentation/admin-guide/cgroup-v2.rst, "Format"). */
final class CgroupStats {
    private CgroupStats() {
    }

    /** "Flat keyed": {@code key value} per line (cpu.stat, memory.events, memory.oom_control). */
    static Map<String, Long> flatKeyed(String text) {
        Map<String, Long> out = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try {
                    out.put(kv[0], Long.parseLong(kv[1]));
                } catch (NumberFormatException ignored) {
                    // not a number: not a counter (e.g. "max")
                }
            }
        }
        return out;
    }

    /** A single value; {@code max} (v2) and v1's huge "unlimited" become {@link Long#MAX_VALUE}. */
    static long parseLimit(String value) {
        if (value.equals("max")) return Long.MAX_VALUE;
        long v = Long.parseLong(value);
        return v >= 0x7FFFFFFFFFFFF000L ? Long.MAX_VALUE : v;
    }

    /** A PSI file: {@code some avg10=0.00 avg60=0.00 avg300=0.00 total=0}, then a {@code full} line. */
    static Pressure pressure(String text) {
        double[] some = new double[3];
        double[] full = new double[3];
        long someTotal = 0;
        long fullTotal = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) continue;
            boolean isSome = f[0].equals("some");
            if (!isSome && !f[0].equals("full")) continue;
            double[] avg = isSome ? some : full;
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq < 0) continue;
                String k = f[i].substring(0, eq);
                String v = f[i].substring(eq + 1);
                switch (k) {
                    case "avg10" -> avg[0] = Double.parseDouble(v);
                    case "avg60" -> avg[1] = Double.parseDouble(v);
                    case "avg300" -> avg[2] = Double.parseDouble(v);
                    case "total" -> total = Long.parseLong(v);
                    default -> { }
                }
            }
            if (isSome) someTotal = total; else fullTotal = total;
        }
        return new Pressure(Duration.ofNanos(someTotal * 1000), Duration.ofNanos(fullTotal * 1000),
                some[0], some[1], some[2], full[0], full[1], full[2], true);
    }

    /** v2 io.stat: sums rbytes and wbytes over all devices: {read, write}. */
    static long[] ioStatBytes(String text) {
        long r = 0;
        long w = 0;
        for (String line : text.split("\n")) {
            for (String f : line.trim().split("\\s+")) {
                if (f.startsWith("rbytes=")) r += Long.parseLong(f.substring(7));
                else if (f.startsWith("wbytes=")) w += Long.parseLong(f.substring(7));
            }
        }
        return new long[] {r, w};
    }

    /** v1 blkio.throttle.io_service_bytes_recursive: {@code 8:0 Read 4096} lines: {read, write}. */
    static long[] blkioBytes(String text) {
        long r = 0;
        long w = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) continue;
            if (f[1].equals("Read")) r += Long.parseLong(f[2]);
            else if (f[1].equals("Write")) w += Long.parseLong(f[2]);
        }
        return new long[] {r, w};
    }
}
