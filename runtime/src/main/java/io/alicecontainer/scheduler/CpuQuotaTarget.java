package io.alicecontainer.scheduler;

import io.alicecontainer.cgroup.CgroupController;

/**
 * What a {@link DynamicScheduler} reads and writes: a cgroup's CPU counters and its quota. The
 * scheduler's logic needs nothing else, so it can be driven by a cgroup ({@link #of}) or by a
 * stand-in in tests and simulations.
 */
public interface CpuQuotaTarget {

    /** Reads the counters now. */
    CpuSample sample();

    /** Sets the quota: {@code quotaUs} of CPU time per {@code periodUs}. */
    void applyQuota(long quotaUs, long periodUs);

    /**
     * The CPU counters and quota of a cgroup: {@code cpu.stat} and {@code cpu.max} on cgroup v2;
     * on v1 and hybrid hosts, the usage from the cgroup2 tree's {@code cpu.stat} (or v1
     * {@code cpuacct.usage}), throttling from v1 {@code cpu.stat}, and the quota in
     * {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us}, written through
     * {@link CgroupController#setCpuMax(long, long)}. Each reading opens the files anew
     * ({@link DynamicScheduler#create(CgroupController, SchedulerConfig)} keeps them open instead,
     * until it is closed).
     */
    static CpuQuotaTarget of(CgroupController cgroup) {
        return new CgroupCpuTarget(cgroup, false);
    }
}
