package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The JVM's own cgroup made an inner node: its processes move into a leaf {@code init} beside the
 * containers' {@code alice} group, then the controllers are enabled in it. What docker-in-docker
 * and kind do at the root of a container's cgroup namespace; also right where the JVM is the
 * cgroup's only process (a dedicated unit). The cgroup's own limits keep covering the containers.
 */
record LeafMovePlacement(CgroupLayout layout, Path dir) implements Placement {
    static final String LEAF = "init";
    private static final Logger LOG = Logger.getLogger(LeafMovePlacement.class.getName());

    @Override
    public String name() {
        return "leaf-move";
    }

    @Override
    public Path prepareV2(Set<String> controllers) {
        if (!controllers.isEmpty()) {
            int moved = V2Subtree.evacuateAndEnable(dir, dir.resolve(LEAF), controllers);
            LOG.fine(() -> "moved " + moved + " processes from " + dir + " into " + dir.resolve(LEAF));
        }
        return V2Subtree.base(dir.resolve(NestedPlacement.GROUP), controllers);
    }

    @Override
    public Path v1Base(String controller) {
        throw new IllegalStateException("leaf-move is a cgroup-v2 placement");
    }
}
