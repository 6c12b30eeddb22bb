package io.alicecontainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.namespace.IdMapping;

/**
 * Containers made without root (rootless mode, as rootless podman and runc's rootless mode): the
 * kernel lets an unprivileged user create a user namespace in which it is root, and the other
 * namespaces owned by it. Each container then gets one automatically: the caller's uid and gid
 * are 0 inside (single-id maps, written by the parent, {@code setgroups} denied), every other host
 * id shows as the overflow id (65534, "nobody"), and files it makes on the host belong to the
 * caller. Capabilities, {@code no_new_privs}, seccomp and masked paths apply as for root, within
 * the user namespace: its capabilities never reach the host.
 */
final class Rootless {
    private Rootless() {
    }

    /** The configuration as a non-root caller needs it: with a user namespace mapping it to 0, unless it has one. */
    static ContainerConfig adapt(ContainerConfig config) {
        if (config.idMapping().isPresent()) return config;
        long[] ids = effectiveIds();
        if (ids == null || ids[0] == 0) return config;
        return config.toBuilder().userNamespace(IdMapping.rootAs(ids[0], ids[1])).build();
    }

    /** {euid, egid} from /proc/self/status, or null where it cannot be read. */
    static long[] effectiveIds() {
        try {
            long uid = -1;
            long gid = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) uid = Long.parseLong(line.split("\\s+")[2]);
                if (line.startsWith("Gid:")) gid = Long.parseLong(line.split("\\s+")[2]);
            }
            return uid < 0 || gid < 0 ? null : new long[] {uid, gid};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
