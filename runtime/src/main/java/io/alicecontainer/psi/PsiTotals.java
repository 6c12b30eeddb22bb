package io.alicecontainer.psi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cumulative stall of a pressure file ({@code some avg10=0.00 avg60=0.00 avg300=0.00 total=N},
 * N in µs): the monitor compares it with the value at registration to tell stale events.
 */
final class PsiTotals {
    private PsiTotals() {
    }

    /** The {@code total=} of the line of {@code kind} in the file, or -1 when it cannot be read. */
    static long read(Path file, PsiKind kind) {
        try {
            return parse(Files.readString(file), kind);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The {@code total=} of the line of {@code kind}, or -1 when there is none. */
    static long parse(String content, PsiKind kind) {
        for (String line : content.split("\n")) {
            if (!line.startsWith(kind.keyword() + " ")) continue;
            for (String field : line.split(" ")) {
                if (field.startsWith("total=")) return Long.parseLong(field.substring(6).trim());
            }
        }
        return -1;
    }
}
