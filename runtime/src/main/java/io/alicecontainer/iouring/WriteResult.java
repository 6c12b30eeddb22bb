package io.alicecontainer.iouring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import io.alicecontainer.internal.Errno;

/**
 * What happened to one queued write.
 *
 * @param file         the file written
 * @param value        the text written
 * @param bytesWritten what write(2) (or its io_uring twin) returned, 0 when it failed
 * @param errno        0 on success, else the errno of the failed open or write
 */
public record WriteResult(Path file, String value, int bytesWritten, int errno) {

    /** Whether the kernel took the whole value. */
    public boolean succeeded() {
        return errno == 0 && bytesWritten == value.getBytes(StandardCharsets.US_ASCII).length;
    }

    /**
     * The error, in the runtime's shape:
     * {@code failed to write `50000 100000` to .../cpu.max: EINVAL (Invalid argument)}; empty on success.
     */
    public Optional<String> error() {
        if (succeeded()) return Optional.empty();
        String why = errno != 0 ? Errno.describe(errno)
                : "short write (" + bytesWritten + " of " + value.getBytes(StandardCharsets.US_ASCII).length + " bytes)";
        return Optional.of("failed to write `" + value + "` to " + file + ": " + why);
    }

    /** The errno's name ({@code EINVAL}), or empty on success. */
    public Optional<String> errnoName() {
        return errno == 0 ? Optional.empty() : Optional.of(Errno.name(errno));
    }

    static WriteResult of(Path file, String value, int res) {
        return res >= 0 ? new WriteResult(file, value, res, 0) : new WriteResult(file, value, 0, -res);
    }

    @Override
    public String toString() {
        return error().orElse("wrote `" + value + "` to " + file);
    }
}
