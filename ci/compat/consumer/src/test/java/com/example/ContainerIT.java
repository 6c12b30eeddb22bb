package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alicecontainer.junit.ContainerResources;
import io.alicecontainer.junit.Isolated;
import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.ResourceBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same, run by Failsafe. */
class ContainerIT {
    @Test
    @MemoryLimit("256M")
    @ResourceBudget(memoryPeak = "256M")
    void runsInItsOwnContainer(ContainerResources container) {
        assertEquals("true", System.getProperty("alice.isolation.child"));
        assertTrue(container.usage().memoryCurrentBytes() > 0);
    }

    @Isolated
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void parameterized(int n) {
        assertEquals("true", System.getProperty("alice.isolation.child"));
        assertTrue(n > 0);
    }

    @Test
    void plain() {
        assertNotEquals("true", System.getProperty("alice.isolation.child"));
    }
}
