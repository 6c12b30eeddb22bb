package io.alicecontainer.junit;

import io.alicecontainer.scheduler.SchedulerConfig;

/**
 * Who moves an isolated test's CPU quota while it runs ({@link CpuLimit#scheduler()}): nobody
 * (the limit is static), or a {@link io.alicecontainer.scheduler.DynamicScheduler} with one of the
 * original ALICE-Container's presets, started with the container and stopped with it. The
 * {@link CpuLimit#value()} is then the starting quota, brought into the preset's bounds.
 */
public enum CpuScheduler {
    /** The limit stays as declared. */
    STATIC(null),
    /** {@link SchedulerConfig#lowLatency()}: 50%..100% of a CPU, a tick every millisecond. */
    LOW_LATENCY(SchedulerConfig.lowLatency()),
    /** {@link SchedulerConfig#defaults()}: 10%..100% of a CPU, a tick every 10 ms. */
    DEFAULTS(SchedulerConfig.defaults()),
    /** {@link SchedulerConfig#batch()}: 10%..50% of a CPU, a tick every 100 ms. */
    BATCH(SchedulerConfig.batch());

    private final SchedulerConfig config;

    CpuScheduler(SchedulerConfig config) {
        this.config = config;
    }

    /** The preset, or null for {@link #STATIC}. */
    SchedulerConfig config() {
        return config;
    }
}
