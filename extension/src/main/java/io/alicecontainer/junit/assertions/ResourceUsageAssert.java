package io.alicecontainer.junit.assertions;

import io.alicecontainer.ResourceUsage;

/** Assertions on what a container used; see {@link AbstractResourceUsageAssert}. */
public class ResourceUsageAssert extends AbstractResourceUsageAssert<ResourceUsageAssert> {

    public ResourceUsageAssert(ResourceUsage actual) {
        super(actual, ResourceUsageAssert.class);
    }
}
