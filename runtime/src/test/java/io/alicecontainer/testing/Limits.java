package io.alicecontainer.testing;

import io.alicecontainer.cgroup.CgroupController;
import org.junit.jupiter.api.Assumptions;

/** Assumptions for tests of limits the host's cgroup layout may lack (a v2 tree without controllers). */
public final class Limits {
    private Limits() {
    }

    /** Skips, printing why, when no limit of these controllers can be set on this layout. */
    public static void assumeSupported(String... controllers) {
        for (String c : controllers) {
            boolean ok = CgroupController.layout().supportsLimit(c);
            if (!ok) {
                String reason = "the " + c + " controller is not available for limits in " + CgroupController.layout();
                System.out.println("[alice] skipped: " + reason);
            }
            Assumptions.assumeTrue(ok, () -> "the " + c + " controller is not available for limits in " + CgroupController.layout());
        }
    }

    /** Skips, printing why, where containers get no device cgroup (no cgroups, or no BPF on pure v2). */
    public static void assumeDeviceCgroup() {
        boolean ok = CgroupController.deviceCgroup() != null;
        String reason = "no device cgroup for containers in " + CgroupController.layout() + " (no v1 devices hierarchy, BPF refused)";
        if (!ok) System.out.println("[alice] skipped: " + reason);
        Assumptions.assumeTrue(ok, reason);
    }
}
