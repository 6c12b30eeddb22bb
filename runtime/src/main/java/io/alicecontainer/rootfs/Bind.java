package io.alicecontainer.rootfs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host directory or file shown inside the container at {@code target}.
 *
 * @param source   an existing path on the host
 * @param target   an absolute path inside the container
 * @param readOnly whether the container may write through it
 */
public record Bind(Path source, Path target, boolean readOnly) {
    public Bind {
        if (source == null || target == null) throw new IllegalArgumentException("bind source and target are required");
        if (!source.isAbsolute()) source = source.toAbsolutePath();
        if (!target.isAbsolute()) throw new IllegalArgumentException("bind target " + target + " must be an absolute path");
        if (!Files.exists(source)) throw new IllegalArgumentException("bind source " + source + " does not exist");
        source = source.normalize();
        target = target.normalize();
    }

    /** The host path, read-only, at the same path inside. */
    public static Bind readOnly(Path path) {
        return new Bind(path, path.toAbsolutePath(), true);
    }

    /** The host path, writable, at the same path inside. */
    public static Bind writable(Path path) {
        return new Bind(path, path.toAbsolutePath(), false);
    }
}
