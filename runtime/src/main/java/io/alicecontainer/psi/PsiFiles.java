package io.alicecontainer.psi;

import java.nio.charset.StandardCharsets;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;

/** Writing triggers to pressure files, and what the monitor says when the kernel objects. */
final class PsiFiles {
    private static final int ENODEV = 19;

    private PsiFiles() {
    }

    /** write(2) of the trigger with its NUL; 0 or the errno. */
    static int writeTrigger(int fd, String line) {
        // /proc/pressure/* (psi_write) overwrites the last byte written with NUL: without a
        // terminator "some 150000 2000000" would arrive as "some 150000 200000". psi.rst's example
        // writes strlen(trig) + 1 bytes for that reason; cgroup files accept it too.
        byte[] data = (line + "\0").getBytes(StandardCharsets.US_ASCII);
        for (;;) {
            long n = Native.libc().write(fd, data, data.length);
            if (n >= 0) return 0;
            int e = Native.errno();
            if (e != Errno.EINTR) return e;
        }
    }

    /**
     * A genuine signal needs at least the threshold of stall after the trigger was written: the
     * kernel's window starts there. Less means the kernel counted stall from before (see {@link
     * PsiRegistration#ignoredStaleEvents()}). The file's total is read after the kernel's check, so
     * a genuine signal always passes.
     */
    static boolean isStale(PsiRegistration r) {
        if (r.baselineStallUs < 0) return false;
        PsiTrigger t = r.effectiveTrigger();
        long now = PsiTotals.read(t.pressureFile(), t.kind());
        return now >= 0 && now - r.baselineStallUs < PsiTrigger.micros(t.threshold());
    }

    static String goneReason(PsiRegistration r, int ev) {
        PsiTrigger t = r.effectiveTrigger();
        String flags = ((ev & Epoll.EPOLLERR) != 0 ? "EPOLLERR" : "") + ((ev & Epoll.EPOLLHUP) != 0 ? "|EPOLLHUP" : "");
        String where = t.isSystemWide() ? "the system-wide pressure file " + t.pressureFile() : "the cgroup " + t.cgroup();
        String what = t.isSystemWide() || java.nio.file.Files.isDirectory(t.cgroup()) ? where + " ended the trigger"
                : where + " was removed";
        return what + " (" + flags.replaceFirst("^\\|", "") + " on " + t.pressureFile().getFileName() + "): trigger #" + r.id() + " dropped";
    }

    static String openHint(PsiTrigger t, int errno) {
        if (errno == Errno.ENOENT) {
            return t.isSystemWide() ? " (the kernel has no PSI: CONFIG_PSI off or psi=0 on its command line)"
                    : " (no such cgroup2 directory, or PSI is off in this kernel)";
        }
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            return " (before Linux 6.5 PSI triggers need CAP_SYS_RESOURCE; so do cgroup files on some 6.4/6.5 kernels)";
        }
        return "";
    }

    static String writeHint(int errno) {
        if (errno == Errno.EOPNOTSUPP) return " (PSI is disabled: psi=0 on the kernel command line, or cgroup.pressure is 0)";
        if (errno == ENODEV) return " (the cgroup is being removed)";
        if (errno == Errno.EPERM) return " (this kernel needs CAP_SYS_RESOURCE for PSI triggers)";
        return "";
    }
}
