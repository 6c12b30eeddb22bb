package io.alicecontainer.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a container sees as {@code /}.
 * <ul>
 *   <li>{@link #hostView()} (the default): a read-only view of the host's system directories
 *       ({@code /usr}, {@code /bin}, {@code /lib*}, {@code /etc}, {@code /opt}, the JDK), with a
 *       private writable {@code /tmp}, a fresh {@code /proc}, a minimal {@code /dev} and the
 *       container's own {@code /etc/hostname} and {@code /etc/hosts}. Needs no image.</li>
 *   <li>{@link #directory(Path)}: a directory holding a real root filesystem, read-only (an
 *       overlay over it, so it is never changed), with the same private {@code /tmp},
 *       {@code /proc} and {@code /dev}.</li>
 *   <li>{@link #hostRoot()}: the host's root as it is, writable, in a private mount namespace with
 *       a fresh {@code /proc}: no filesystem isolation, the cheapest start.</li>
 * </ul>
 */
public sealed interface RootFs permits RootFs.HostView, RootFs.Directory, RootFs.HostRoot {

    static RootFs hostView() {
        return HostView.INSTANCE;
    }

    /**
     * A root filesystem directory. The container sees it read-only through an overlay whose
     * upper layer is thrown away, so the directory itself is never changed (mount points such as
     * {@code /proc} are made in the overlay when missing).
     *
     * @throws IllegalArgumentException when path is not a directory, or its path cannot be given
     *         to overlayfs (it contains {@code ,} or {@code :})
     */
    static RootFs directory(Path path) {
        return new Directory(path);
    }

    static RootFs hostRoot() {
        return HostRoot.INSTANCE;
    }

    /** The read-only view of the host. */
    final class HostView implements RootFs {
        static final HostView INSTANCE = new HostView();

        private HostView() {
        }

        @Override
        public String toString() {
            return "RootFs.hostView()";
        }
    }

    /** The host's root, as it is. */
    final class HostRoot implements RootFs {
        static final HostRoot INSTANCE = new HostRoot();

        private HostRoot() {
        }

        @Override
        public String toString() {
            return "RootFs.hostRoot()";
        }
    }

    /** A directory with a root filesystem (shown read-only); {@link #path()} is its real path. */
    record Directory(Path path) implements RootFs {
        public Directory {
            if (path == null) throw new IllegalArgumentException("rootfs path must not be null");
            if (!Files.isDirectory(path)) {
                throw new IllegalArgumentException("rootfs " + path + " is not a directory"
                        + (Files.exists(path) ? "" : " (it does not exist)"));
            }
            try {
                path = path.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("rootfs " + path + " cannot be resolved: " + e.getMessage(), e);
            }
            if (path.toString().contains(",") || path.toString().contains(":")) {
                throw new IllegalArgumentException("rootfs " + path + " contains `,` or `:`, which overlayfs cannot take in a path");
            }
        }
    }
}
