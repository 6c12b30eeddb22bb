package io.alicecontainer.cgroup;

/** File names, per controller and version (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/). */
final class CgroupFiles {
    // core
    static final String PROCS = "cgroup.procs";
    /** v1 devices controller (Documentation/admin-guide/cgroup-v1/devices.rst). */
    static final String DEVICES_DENY = "devices.deny";
    static final String DEVICES_ALLOW = "devices.allow";
    static final String EVENTS = "cgroup.events";
    static final String KILL = "cgroup.kill";
    static final String FREEZE = "cgroup.freeze";
    static final String CONTROLLERS = "cgroup.controllers";
    static final String SUBTREE_CONTROL = "cgroup.subtree_control";
    // cpu
    static final String CPU_MAX = "cpu.max";
    static final String CPU_STAT = "cpu.stat";
    static final String CPU_CFS_QUOTA_US = "cpu.cfs_quota_us";
    static final String CPU_CFS_PERIOD_US = "cpu.cfs_period_us";
    static final String CPUACCT_USAGE = "cpuacct.usage";
    static final String CPUACCT_USAGE_USER = "cpuacct.usage_user";
    static final String CPUACCT_USAGE_SYS = "cpuacct.usage_sys";
    // memory
    static final String MEMORY_MAX = "memory.max";
    static final String MEMORY_SWAP_MAX = "memory.swap.max";
    static final String MEMORY_CURRENT = "memory.current";
    static final String MEMORY_PEAK = "memory.peak";
    static final String MEMORY_EVENTS = "memory.events";
    static final String MEMORY_LIMIT_IN_BYTES = "memory.limit_in_bytes";
    static final String MEMORY_MEMSW_LIMIT_IN_BYTES = "memory.memsw.limit_in_bytes";
    static final String MEMORY_SWAPPINESS = "memory.swappiness";
    static final String MEMORY_USAGE_IN_BYTES = "memory.usage_in_bytes";
    static final String MEMORY_MAX_USAGE_IN_BYTES = "memory.max_usage_in_bytes";
    static final String MEMORY_OOM_CONTROL = "memory.oom_control";
    // pids
    static final String PIDS_MAX = "pids.max";
    static final String PIDS_CURRENT = "pids.current";
    static final String PIDS_PEAK = "pids.peak";
    // io
    static final String IO_MAX = "io.max";
    static final String IO_STAT = "io.stat";
    static final String BLKIO_READ_BPS = "blkio.throttle.read_bps_device";
    static final String BLKIO_WRITE_BPS = "blkio.throttle.write_bps_device";
    static final String BLKIO_READ_IOPS = "blkio.throttle.read_iops_device";
    static final String BLKIO_WRITE_IOPS = "blkio.throttle.write_iops_device";
    static final String BLKIO_SERVICE_BYTES = "blkio.throttle.io_service_bytes_recursive";
    // freezer (v1)
    static final String FREEZER_STATE = "freezer.state";
    // pressure (v2, also in the hybrid's cgroup2 tree)
    static final String CPU_PRESSURE = "cpu.pressure";
    static final String MEMORY_PRESSURE = "memory.pressure";
    static final String IO_PRESSURE = "io.pressure";

    private CgroupFiles() {
    }
}
