package io.alicecontainer.iouring;

import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;

/** The fallback: open(2), write(2), close(2) per file, in queue order; three syscalls a write. */
final class PlainWrites {
    private PlainWrites() {
    }

    static List<WriteResult> run(List<QueuedWrite> writes) {
        List<WriteResult> out = new ArrayList<>(writes.size());
        for (QueuedWrite w : writes) {
            int fd = openForWrite(w);
            if (fd < 0) {
                out.add(WriteResult.of(w.file(), w.value(), fd));
                continue;
            }
            try {
                long n;
                do {
                    n = Native.libc().write(fd, w.bytes(), w.bytes().length);
                } while (n < 0 && Native.errno() == Errno.EINTR);
                out.add(WriteResult.of(w.file(), w.value(), n < 0 ? -Native.errno() : (int) n));
            } finally {
                Native.closeQuietly(fd);
            }
        }
        return out;
    }

    /** The fd, or -errno. */
    static int openForWrite(QueuedWrite w) {
        for (;;) {
            int fd = Native.libc().open(w.file().toString(), Native.O_WRONLY | Native.O_CLOEXEC, 0);
            if (fd >= 0) return fd;
            int e = Native.errno();
            if (e != Errno.EINTR) return -e;
        }
    }
}
