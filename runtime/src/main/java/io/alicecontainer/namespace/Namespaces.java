package io.alicecontainer.namespace;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** A set of namespaces to create for a container; immutable. */
public final class Namespaces {
    private final Set<Namespace> set;

    private Namespaces(Set<Namespace> set) {
        this.set = Collections.unmodifiableSet(set.isEmpty() ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(set));
    }

    /** pid, mount, uts, ipc, net and cgroup: a container's usual set; the user namespace is opt-in. */
    public static Namespaces container() {
        return new Namespaces(EnumSet.of(Namespace.PID, Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NET,
                Namespace.CGROUP));
    }

    public static Namespaces of(Namespace... namespaces) {
        EnumSet<Namespace> s = EnumSet.noneOf(Namespace.class);
        Collections.addAll(s, namespaces);
        return new Namespaces(s);
    }

    public Namespaces with(Namespace ns) {
        EnumSet<Namespace> s = set.isEmpty() ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(set);
        s.add(ns);
        return new Namespaces(s);
    }

    public Namespaces without(Namespace ns) {
        EnumSet<Namespace> s = set.isEmpty() ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(set);
        s.remove(ns);
        return new Namespaces(s);
    }

    public boolean contains(Namespace ns) {
        return set.contains(ns);
    }

    public Set<Namespace> asSet() {
        return set;
    }

    /** The CLONE_NEW* flags for clone3. */
    public long cloneFlags() {
        long f = 0;
        for (Namespace ns : set) f |= ns.cloneFlag();
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespaces n && n.set.equals(set);
    }

    @Override
    public int hashCode() {
        return set.hashCode();
    }

    @Override
    public String toString() {
        return "Namespaces" + set;
    }
}
