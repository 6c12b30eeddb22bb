package io.alicecontainer.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process may do, from {@code /proc/self/status}: a least-privilege container (an
 * isolated test's JVM, a command in a {@code Container}) cannot make containers of its own, and
 * says so before an obscure {@code EPERM} from deep inside a spawn.
 */
public final class OwnPrivileges {
    private OwnPrivileges() {
    }

    /**
     * Why this process cannot create containers, with what to do instead; null when it may try.
     * It cannot when it lacks CAP_SYS_ADMIN (namespaces, mounts, cgroups) while running as root,
     * with no_new_privs or under a seccomp filter: the marks of a container, not of a rootless
     * user's own shell.
     */
    public static String whyContainersCannotBeMade() {
        return whyContainersCannotBeMade(status());
    }

    static String whyContainersCannotBeMade(String status) {
        if (status == null) return null;
        long capEff = hexField(status, "CapEff:");
        if (capEff < 0 || (capEff & (1L << Capability.SYS_ADMIN.number())) != 0) return null;
        boolean root = field(status, "Uid:").split("\\s+")[0].equals("0");
        boolean nnp = field(status, "NoNewPrivs:").equals("1");
        boolean seccomp = field(status, "Seccomp:").equals("2");
        if (!root && !nnp && !seccomp) return null;
        return "this process lacks CAP_SYS_ADMIN (CapEff " + String.format("%016x", capEff)
                + (seccomp ? ", seccomp filter on" : "") + (nnp ? ", no_new_privs" : "")
                + "): it runs in a least-privilege container, whose code must not make containers (namespaces,"
                + " mounts, cgroups). In an @Isolated test inject a Sandbox parameter instead: the parent JVM runs its"
                + " commands in new containers configured like the test. Otherwise give the outer container"
                + " ContainerConfig.builder().privileged() (extension: @Privileges(privileged = true))";
    }

    private static String status() {
        try {
            return Files.readString(Path.of("/proc/self/status"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).trim();
        }
        return "";
    }

    private static long hexField(String status, String name) {
        String v = field(status, name);
        try {
            return v.isEmpty() ? -1 : Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
