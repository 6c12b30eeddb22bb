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

    /*
     * Reads go through java.nio, not jnr-ffi: a child JVM that only reads its own usage then never
     * binds libc (about 200 ms of its start). Writes need errno for their messages and stay native.
     */
    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CgroupException("failed to read " + file + ": ENOENT (No such file or directory)", e);
        } catch (java.io.IOException e) {
            throw new CgroupException("failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The content, or empty when the file does not exist. */
    static Optional<String> readIfPresent(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (java.io.IOException e) {
            throw new CgroupException("failed to read " + file + ": " + e.getMessage(), e);
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
