package io.alicecontainer.junit.assertions;

import io.alicecontainer.ResourceUsage;
import org.assertj.core.api.AbstractAssert;

/** Navigation from a {@link ResourceUsage} to its block I/O. */
public class IoAssert extends AbstractAssert<IoAssert, ResourceUsage> {

    public IoAssert(ResourceUsage actual) {
        super(actual, IoAssert.class);
    }

    public BytesAssert readBytes() {
        isNotNull();
        return AssertionState.keep(new BytesAssert(actual.ioReadBytes(), "io bytes read"), this);
    }

    public BytesAssert writeBytes() {
        isNotNull();
        return AssertionState.keep(new BytesAssert(actual.ioWriteBytes(), "io bytes written"), this);
    }
}
