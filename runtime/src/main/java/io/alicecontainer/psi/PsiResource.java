package io.alicecontainer.psi;

import java.nio.file.Path;
import java.util.Locale;

/** A resource the kernel reports pressure for: a pressure file per cgroup and one system-wide. */
public enum PsiResource {
    CPU, MEMORY, IO;

    /** The name in file names and in the kernel's docs: {@code cpu}, {@code memory}, {@code io}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file in a cgroup2 directory: {@code cpu.pressure}, {@code memory.pressure}, {@code io.pressure}. */
    public String cgroupFileName() {
        return key() + ".pressure";
    }

    /** The system-wide file: {@code /proc/pressure/cpu}, ... */
    public Path systemFile() {
        return Path.of("/proc/pressure", key());
    }

    /**
     * The resource for {@code cpu}, {@code memory} or {@code io} (any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static PsiResource of(String key) {
        for (PsiResource r : values()) {
            if (r.key().equalsIgnoreCase(key)) return r;
        }
        throw new IllegalArgumentException("PSI resource `" + key + "` is not one of cpu, memory, io");
    }
}
