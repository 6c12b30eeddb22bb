package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.List;

/** Test support: where this JVM's containers really went, for leak checks outside this package. */
public final class CgroupOwners {
    private CgroupOwners() {
    }

    /** This JVM's owner groups in every hierarchy in use, as its placement made them; none before the first container. */
    public static List<Path> ofThisJvm() {
        return CgroupRoot.ownerGroupsIfOpen();
    }

    /** Opens this JVM's cgroup root as the first container would (placement chosen and logged), then {@link #ofThisJvm()}. */
    public static List<Path> open() {
        CgroupRoot.get();
        return ofThisJvm();
    }
}
