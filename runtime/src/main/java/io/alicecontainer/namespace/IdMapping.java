package io.alicecontainer.namespace;

import java.util.List;

/**
 * The uid and gid maps of a user namespace (user_namespaces(7)): each range maps
 * {@code count} ids starting at {@code insideId} to ids starting at {@code outsideId} on the host.
 */
public record IdMapping(List<Range> uids, List<Range> gids) {

    /** One line of uid_map/gid_map. */
    public record Range(long insideId, long outsideId, long count) {
        /** The kernel keeps ids in 32 bits and reserves (u32)-1 (user_namespaces(7), map_write). */
        private static final long MAX_ID = 0xFFFFFFFEL;

        public Range {
            if (insideId < 0 || outsideId < 0 || count <= 0) {
                throw new IllegalArgumentException("invalid id range " + insideId + " " + outsideId + " " + count
                        + ": ids must be >= 0 and count > 0");
            }
            if (insideId + count - 1 > MAX_ID || outsideId + count - 1 > MAX_ID) {
                throw new IllegalArgumentException("invalid id range " + insideId + " " + outsideId + " " + count
                        + ": ids are 32-bit and at most " + MAX_ID);
            }
        }
    }

    public IdMapping {
        if (uids.isEmpty() || gids.isEmpty()) throw new IllegalArgumentException("a user namespace needs a uid and a gid mapping");
        if (uids.size() > 340 || gids.size() > 340) throw new IllegalArgumentException("the kernel takes at most 340 ranges");
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    /** Root inside is {@code hostUid}/{@code hostGid} outside: one id each. */
    public static IdMapping rootAs(long hostUid, long hostGid) {
        return new IdMapping(List.of(new Range(0, hostUid, 1)), List.of(new Range(0, hostGid, 1)));
    }

    /** Ids 0..count-1 inside are hostBase..hostBase+count-1 outside, for users and groups. */
    public static IdMapping range(long hostBase, long count) {
        return new IdMapping(List.of(new Range(0, hostBase, count)), List.of(new Range(0, hostBase, count)));
    }

    /** The uid a container's processes run as inside: 0 when mapped, else the first mapped uid. */
    public long insideUid() {
        return inside(uids);
    }

    /** The gid a container's processes run as inside: 0 when mapped, else the first mapped gid. */
    public long insideGid() {
        return inside(gids);
    }

    private static long inside(List<Range> rs) {
        for (Range r : rs) {
            if (r.insideId() == 0) return 0;
        }
        return rs.get(0).insideId();
    }

    /** The text for /proc/PID/uid_map. */
    public String uidMap() {
        return format(uids);
    }

    /** The text for /proc/PID/gid_map. */
    public String gidMap() {
        return format(gids);
    }

    private static String format(List<Range> rs) {
        StringBuilder b = new StringBuilder();
        for (Range r : rs) b.append(r.insideId()).append(' ').append(r.outsideId()).append(' ').append(r.count()).append('\n');
        return b.toString();
    }
}
