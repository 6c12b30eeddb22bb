package io.alicecontainer.iouring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One write waiting in a batch: the absolute file, its value and both as the bytes the kernel reads. */
record QueuedWrite(Path file, String value, byte[] bytes, byte[] pathBytes) {
    static QueuedWrite of(Path file, String value) {
        Path abs = file.toAbsolutePath();
        return new QueuedWrite(abs, value, value.getBytes(StandardCharsets.US_ASCII), abs.toString().getBytes(StandardCharsets.UTF_8));
    }
}
