package io.alicecontainer.junit;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;

import io.alicecontainer.ByteSize;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.security.Capability;
import io.alicecontainer.security.Seccomp;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The privileges of an isolated test's containers: {@link Privileges} (the method's over its
 * class's), else the configuration parameters {@code alice.isolation.privileged} and
 * {@code alice.isolation.tmpSize}.
 */
record SecuritySettings(boolean privileged, List<Capability> add, List<Capability> drop, boolean seccomp, Long tmpSize) {
    static final String PRIVILEGED = "alice.isolation.privileged";
    static final String TMP_SIZE = "alice.isolation.tmpSize";
    static final SecuritySettings DEFAULT = new SecuritySettings(false, List.of(), List.of(), true, null);

    static SecuritySettings of(ExtensionContext ctx) {
        Method m = ctx.getTestMethod().orElse(null);
        Class<?> c = ctx.getRequiredTestClass();
        Long tmp = ctx.getConfigurationParameter(TMP_SIZE).map(SecuritySettings::tmpSize).orElse(null);
        boolean all = ctx.getConfigurationParameter(PRIVILEGED).map(v -> bool(PRIVILEGED, v)).orElse(false);
        return IsolationSettings.lookup(m, c, Privileges.class)
                .map(p -> new SecuritySettings(all || p.privileged(), List.of(p.add()), List.of(p.drop()), p.seccomp(), tmp))
                .orElse(new SecuritySettings(all, List.of(), List.of(), true, tmp));
    }

    /** Applies these settings to a container configuration. */
    ContainerConfig.Builder applyTo(ContainerConfig.Builder b) {
        if (tmpSize != null) b.tmpSize(tmpSize);
        if (privileged) return b.privileged();
        EnumSet<Capability> caps = EnumSet.copyOf(Capability.defaults());
        caps.addAll(add);
        drop.forEach(caps::remove);
        b.capabilities(caps);
        if (!seccomp) b.seccomp(Seccomp.none());
        return b;
    }

    private static boolean bool(String key, String v) {
        if (v.trim().equalsIgnoreCase("true")) return true;
        if (v.trim().equalsIgnoreCase("false")) return false;
        throw new ExtensionConfigurationException("configuration parameter " + key + " must be true or false, was `" + v + "`");
    }

    private static long tmpSize(String v) {
        try {
            long n = ByteSize.parse(v.trim());
            if (n <= 0) throw new IllegalArgumentException("it must be positive");
            return n;
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("configuration parameter " + TMP_SIZE + " `" + v + "` is invalid: " + e.getMessage());
        }
    }
}
