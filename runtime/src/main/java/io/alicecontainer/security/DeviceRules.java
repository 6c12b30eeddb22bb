package io.alicecontainer.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.alicecontainer.rootfs.Bind;

/**
 * The devices a container's processes may open, as rules of the cgroup-v1 devices controller
 * ({@code "c 1:3 rwm"}: type, major:minor, read/write/mknod; on pure v2 the same rules become a
 * BPF device program): runc's default list
 * (libcontainer/specconv's AllowedDevices), i.e. the nodes of the minimal {@code /dev} plus a
 * pseudo-terminal, {@code mknod} of any node (opening it is what is refused), and every device
 * node the caller binds in (a bound node, or the nodes directly inside a bound directory).
 */
public final class DeviceRules {
    /** runc's defaults: mknod anything; null, zero, full, random, urandom, tty, ptmx and the pts. */
    public static final List<String> DEFAULTS = List.of(
            "c *:* m", "b *:* m",
            "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
            "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm");

    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    private DeviceRules() {
    }

    /** The defaults plus "rwm" for each device node the binds show inside. */
    public static List<String> forBinds(List<Bind> binds) {
        Set<String> rules = new LinkedHashSet<>(DEFAULTS);
        for (Bind b : binds) {
            if (Files.isDirectory(b.source())) {
                try (Stream<Path> children = Files.list(b.source())) {
                    children.forEach(p -> rule(p).ifPresent(rules::add));
                } catch (IOException | java.io.UncheckedIOException unreadable) {
                    // a directory we cannot list has no node we could allow; the spawn will say more
                }
            } else {
                rule(b.source()).ifPresent(rules::add);
            }
        }
        return new ArrayList<>(rules);
    }

    /** "c MAJ:MIN rwm" for a character or block device node, empty otherwise. */
    static java.util.Optional<String> rule(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = mode & S_IFMT;
            if (type != S_IFCHR && type != S_IFBLK) return java.util.Optional.empty();
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            // glibc's gnu_dev_major/minor (sys/sysmacros.h)
            long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
            long minor = (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
            return java.util.Optional.of((type == S_IFCHR ? "c " : "b ") + major + ":" + minor + " rwm");
        } catch (IOException | UnsupportedOperationException e) {
            return java.util.Optional.empty();
        }
    }
}
