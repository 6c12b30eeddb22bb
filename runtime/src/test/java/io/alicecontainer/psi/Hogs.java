package io.alicecontainer.psi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.testing.Limits;
import org.junit.jupiter.api.Assumptions;

/** Containers that spin or sleep, for the PSI tests, and a look at the quota the kernel holds. */
final class Hogs {
    static final String SPIN = "while :; do :; done";

    private Hogs() {
    }

    /** Skips unless cpu limits can be set and cgroups have a cgroup2 directory with PSI files. */
    static void assumePsi() {
        Limits.assumeSupported("cpu");
        boolean v2 = CgroupController.layout().v2Own() != null;
        if (!v2) System.out.println("[alice] skipped: per-cgroup PSI needs a cgroup2 hierarchy, this layout has none");
        Assumptions.assumeTrue(v2, "per-cgroup PSI needs a cgroup2 hierarchy");
    }

    static Container container(String name, int cpuPercent) {
        return Container.create(name, ContainerConfig.builder().cpuPercent(cpuPercent).build());
    }

    static ContainerProcess spin(Container c) {
        return c.launch(Command.builder("sh", "-c", SPIN).build());
    }

    static ContainerProcess sleep(Container c) {
        return c.launch(Command.builder("sleep", "60").build());
    }

    /** The quota as the kernel has it: cpu.max's first field (v2) or cpu.cfs_quota_us (v1, hybrid). */
    static long kernelQuotaUs(CgroupController cg) throws IOException {
        Optional<Path> v1 = Optional.ofNullable(cg.v1Paths().get("cpu")).map(d -> d.resolve("cpu.cfs_quota_us"));
        if (v1.isPresent() && Files.exists(v1.get())) return Long.parseLong(Files.readString(v1.get()).trim());
        String max = Files.readString(cg.v2Path().orElseThrow().resolve("cpu.max")).trim().split(" ")[0];
        return max.equals("max") ? -1 : Long.parseLong(max);
    }
}
