package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where this JVM's containers live: one driver per strategy, as runc's cgroups package has fs,
 * fs2 and systemd managers. {@link PlacementChoice} picks one from the host
 * ({@link PlacementFacts}); a new placement is a new driver, not a new branch in an old one.
 */
interface Placement {
    /** Short name for the log line: nested, explicit-parent, leaf-move, cgroupfs, systemd-scope, user-systemd-scope, none. */
    String name();

    /**
     * Prepares the cgroup-v2 hierarchy once and returns the directory below which this JVM's
     * owner group goes, with the given controllers enabled in its {@code cgroup.subtree_control}.
     */
    Path prepareV2(Set<String> controllers);

    /** The directory below which this JVM's owner group goes in a v1 controller's hierarchy. */
    Path v1Base(String controller);

    /** No cgroup at all ({@link NoCgroupPlacement}): containers run without limits and without measured usage. */
    default boolean limitless() {
        return false;
    }

    /** At the JVM's exit, after its groups are gone: gives back what the placement holds (a systemd scope). */
    default void release() {
    }
}
