package io.alicecontainer.cgroup;

import java.util.regex.Pattern;

/** Cgroup and container names: a safe character set, no path tricks. */
public final class CgroupNames {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private CgroupNames() {
    }

    /**
     * Checks a name for a cgroup directory: 1-128 characters of {@code A-Z a-z 0-9 _ . -},
     * starting with a letter or digit; so no {@code /}, no {@code ..}, no hidden names.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static String validate(String name) {
        if (name == null) throw new IllegalArgumentException("a container name is required, got null");
        if (name.contains("/")) {
            throw new IllegalArgumentException("name `" + name + "` must not contain `/`: it names one cgroup, not a path");
        }
        if (name.contains("..")) {
            throw new IllegalArgumentException("name `" + name + "` must not contain `..`");
        }
        if (!SAFE.matcher(name).matches()) {
            throw new IllegalArgumentException("name `" + name + "` is not a valid container name: use 1-128 characters "
                    + "of A-Z a-z 0-9 _ . - starting with a letter or digit");
        }
        return name;
    }
}
