package io.alicecontainer.cgroup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.SyscallException;

/**
 * Reads and writes cgroup files with open/read/write(2) directly, so that a failed write says
 * what the kernel said: {@code failed to write `50000 100000` to .../cpu.max: EINVAL (Invalid argument)}.
 */
final class CgroupFs {
    private CgroupFs() {
    }

    static void write(Path file, String value) {
        byte[] data = value.getBytes(StandardCharsets.US_ASCII);
        int fd;
        try {
            fd = Native.open(file.toString(), Native.O_WRONLY);
        } catch (SyscallException e) {
            throw new CgroupException("failed to write `" + value + "` to " + file + ": " + Errno.describe(e.errno()), e);
        }
        try {
            long n;
            do {
                n = Native.libc().write(fd, data, data.length);
            } while (n < 0 && Native.errno() == Errno.EINTR);
            if (n < 0) {
                throw new CgroupException("failed to write `" + value + "` to " + file + ": " + Errno.describe(Native.errno()));
            }
        } finally {
            Native.closeQuietly(fd);
        }
    }

    /** Writes when the file exists; false when it does not (an optional kernel feature). */
    static boolean writeIfPresent(Path file, String value) {
        if (!Files.exists(file)) return false;
        write(file, value);
        return true;
    }

    static String read(Path file) {
        int fd;
        try {
            fd = Native.open(file.toString(), Native.O_RDONLY);
        } catch (SyscallException e) {
            throw new CgroupException("failed to read " + file + ": " + Errno.describe(e.errno()), e);
        }
        return readAndClose(fd, file);
    }

    /** The content, or empty when the file does not exist. */
    static Optional<String> readIfPresent(Path file) {
        int fd = Native.libc().open(file.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            int e = Native.errno();
            if (e == Errno.ENOENT) return Optional.empty();
            throw new CgroupException("failed to read " + file + ": " + Errno.describe(e));
        }
        return Optional.of(readAndClose(fd, file));
    }

    private static String readAndClose(int fd, Path file) {
        try {
            byte[] buf = new byte[4096];
            int n = Native.read(fd, buf);
            if (n <= 0) return "";
            String text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            StringBuilder more = null;
            while ((n = Native.read(fd, buf)) > 0) {   // past one page (memory.stat on big hosts)
                if (more == null) more = new StringBuilder(text);
                more.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            return more == null ? text : more.toString();
        } catch (SyscallException e) {
            throw new CgroupException("failed to read " + file + ": " + Errno.describe(e.errno()), e);
        } finally {
            Native.closeQuietly(fd);
        }
    }

    static long readLong(Path file) {
        return CgroupStats.parseLimit(read(file).trim());
    }

    static void mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new CgroupException("cgroup " + dir + " already exists: another container of that name is alive", e);
        } catch (java.io.IOException e) {
            throw new CgroupException("failed to create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }
}
