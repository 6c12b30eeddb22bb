package io.alicecontainer.iouring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.alicecontainer.internal.Native;

/**
 * A batch through a ring, as one hard-linked chain per submission: each operation starts when the
 * previous one has ended, whatever its result, so the writes land in queue order (v1 cpu and memory
 * limits depend on it) and one refused value cancels nothing.
 */
final class RingWrites {
    // user_data: the write's index in the batch, shifted, plus which step of it completed.
    private static final int OPEN = 0, WRITE = 1, CLOSE = 2;

    private RingWrites() {
    }

    /** Per file: openat into the direct slot, write to it, close it; all in the ring. Returns the enter count. */
    static int openWriteClose(Ring ring, List<QueuedWrite> writes, WriteResult[] out) {
        int perChunk = ring.capacity() / 3;
        int[] openRes = new int[writes.size()];
        int[] writeRes = new int[writes.size()];
        int enters = 0;
        for (int from = 0; from < writes.size(); from += perChunk) {
            int to = Math.min(writes.size(), from + perChunk);
            long scratch = 0;
            for (int i = from; i < to; i++) scratch += writes.get(i).bytes().length + writes.get(i).pathBytes().length + 1;
            ring.reserveScratch(scratch);
            for (int i = from; i < to; i++) {
                QueuedWrite w = writes.get(i);
                long path = ring.put(w.pathBytes(), true);
                long buf = ring.put(w.bytes(), false);
                // No O_CLOEXEC: a direct descriptor is never in the fd table, and io_openat_prep refuses the flag with one.
                ring.prepOpenDirect(path, Native.O_WRONLY, data(i, OPEN));
                ring.prepWrite(Ring.slot(), true, buf, w.bytes().length, data(i, WRITE));
                ring.prepCloseDirect(data(i, CLOSE));
            }
            enters += ring.submitAndWait(false, (userData, res) -> {
                int i = (int) (userData >>> 2);
                int step = (int) (userData & 3);
                if (step == OPEN) openRes[i] = res;
                else if (step == WRITE) writeRes[i] = res;
            });
            for (int i = from; i < to; i++) {
                QueuedWrite w = writes.get(i);
                // A failed open leaves the slot empty: the write then fails with EBADF; report the open's error.
                out[i] = WriteResult.of(w.file(), w.value(), openRes[i] < 0 ? openRes[i] : writeRes[i]);
            }
        }
        return enters;
    }

    /** Files opened with open(2) here, the writes in the ring, then close(2). Returns the enter count. */
    static int writesOnly(Ring ring, List<QueuedWrite> writes, WriteResult[] out) {
        int[] fds = new int[writes.size()];
        Arrays.fill(fds, -1);
        int enters = 0;
        try {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                int fd = PlainWrites.openForWrite(writes.get(i));
                if (fd < 0) out[i] = WriteResult.of(writes.get(i).file(), writes.get(i).value(), fd);
                else {
                    fds[i] = fd;
                    open.add(i);
                }
            }
            for (int from = 0; from < open.size(); from += ring.capacity()) {
                int to = Math.min(open.size(), from + ring.capacity());
                long scratch = 0;
                for (int k = from; k < to; k++) scratch += writes.get(open.get(k)).bytes().length;
                ring.reserveScratch(scratch);
                for (int k = from; k < to; k++) {
                    int i = open.get(k);
                    byte[] b = writes.get(i).bytes();
                    ring.prepWrite(fds[i], false, ring.put(b, false), b.length, data(i, WRITE));
                }
                enters += ring.submitAndWait(true, (userData, res) -> {
                    QueuedWrite w = writes.get((int) (userData >>> 2));
                    out[(int) (userData >>> 2)] = WriteResult.of(w.file(), w.value(), res);
                });
            }
        } finally {
            for (int fd : fds) Native.closeQuietly(fd);
        }
        return enters;
    }

    private static long data(int index, int step) {
        return ((long) index << 2) | step;
    }
}
