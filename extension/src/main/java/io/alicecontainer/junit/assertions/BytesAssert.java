package io.alicecontainer.junit.assertions;

import io.alicecontainer.ByteSize;

/**
 * Assertions on a number of bytes (memory, I/O), shown in binary units ("48.0 MiB"). Limits are
 * byte counts ({@code mebibytes(64)}) or sizes as {@code -Xmx} writes them ("64M").
 */
public class BytesAssert extends AbstractMeasureAssert<BytesAssert> {

    public BytesAssert(long actualBytes, String measure) {
        super(actualBytes, measure, BytesAssert.class);
    }

    /** @param size "64M", "512K", "1G" (powers of 1024) */
    public BytesAssert isLessThan(String size) {
        return isLessThan(ByteSize.parse(size));
    }

    /** @param size "64M", "512K", "1G" (powers of 1024) */
    public BytesAssert isAtMost(String size) {
        return isLessThanOrEqualTo(ByteSize.parse(size));
    }

    /** @param size "64M", "512K", "1G" (powers of 1024) */
    public BytesAssert isGreaterThan(String size) {
        return isGreaterThan(ByteSize.parse(size));
    }

    /** @param size "64M", "512K", "1G" (powers of 1024) */
    public BytesAssert isAtLeast(String size) {
        return isGreaterThanOrEqualTo(ByteSize.parse(size));
    }

    @Override
    protected String format(long bytes) {
        return ResourceMessages.bytes(bytes);
    }

    @Override
    protected String formatExact(long bytes) {
        return ResourceMessages.bytesExact(bytes);
    }
}
