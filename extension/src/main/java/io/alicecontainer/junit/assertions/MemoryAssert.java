package io.alicecontainer.junit.assertions;

import io.alicecontainer.ResourceUsage;
import org.assertj.core.api.AbstractAssert;

/** Navigation from a {@link ResourceUsage} to its memory figures. */
public class MemoryAssert extends AbstractAssert<MemoryAssert, ResourceUsage> {

    public MemoryAssert(ResourceUsage actual) {
        super(actual, MemoryAssert.class);
    }

    /** Highest memory use of the container (v2 {@code memory.peak}, v1 {@code memory.max_usage_in_bytes}). */
    public BytesAssert peak() {
        isNotNull();
        return AssertionState.keep(new BytesAssert(actual.memoryPeakBytes(), "peak memory"), this);
    }

    /** Memory use when the usage was read. */
    public BytesAssert current() {
        isNotNull();
        return AssertionState.keep(new BytesAssert(actual.memoryCurrentBytes(), "current memory"), this);
    }
}
