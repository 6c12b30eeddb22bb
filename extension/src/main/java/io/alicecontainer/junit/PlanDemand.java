package io.alicecontainer.junit;

import java.lang.reflect.Method;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * How many isolated units (a test at method granularity, a whole class at class granularity)
 * a running test plan will still hand to child JVMs: the pool boots no child for a test that
 * never comes. Counted from the plan at its start by the rules of {@link IsolationSettings},
 * decreased as units take their child, finish or are skipped (with their descendants: a
 * skipped container, or one that failed in its setup, takes them along). What cannot be
 * counted ahead (a test template's or factory's invocations, a class template, a class or
 * method that cannot be loaded) makes the count {@link #UNBOUNDED} until it finishes.
 * Filled by {@link PoolDemandListener}; thread-safe (tests may run on ForkJoin workers).
 */
final class PlanDemand {
    static final long UNBOUNDED = Long.MAX_VALUE;
    private static final String JUPITER = "[engine:junit-jupiter]";
    /** Plans running now in this JVM, the most recent first (a test may run a launcher itself). */
    private static final Deque<PlanDemand> RUNNING = new ConcurrentLinkedDeque<>();

    private final TestPlan plan;
    private final Set<String> known = new HashSet<>();
    private final NavigableSet<String> pending = new TreeSet<>();
    private final NavigableSet<String> unbounded = new TreeSet<>();

    private PlanDemand(TestPlan plan) {
        this.plan = plan;
    }

    /** The units of this plan, its classes loaded (not initialised) through {@code loader}. */
    static PlanDemand count(TestPlan plan, ClassLoader loader) {
        PlanDemand d = new PlanDemand(plan);
        Function<String, Optional<String>> parameters = plan.getConfigurationParameters()::get;
        Map<String, Optional<Class<?>>> classes = new HashMap<>();
        Function<String, Class<?>> load = name -> classes.computeIfAbsent(name, n -> {
            try {
                return Optional.of(Class.forName(n, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
        }).orElse(null);
        for (TestIdentifier root : plan.getRoots()) d.visit(plan, root, parameters, load);
        return d;
    }

    private void visit(TestPlan plan, TestIdentifier id, Function<String, Optional<String>> parameters,
                       Function<String, Class<?>> load) {
        String uid = id.getUniqueId();
        known.add(uid);
        Optional<TestSource> source = id.getSource();
        if (uid.contains(JUPITER) && source.isPresent()) {
            String type = id.getUniqueIdObject().getLastSegment().getType();
            if (source.get() instanceof ClassSource cs && id.isContainer()) {
                Class<?> c = load.apply(cs.getClassName());
                boolean plainClass = type.equals("class") || type.equals("nested-class");
                if (c == null || !plainClass) {
                    // Unknown, or a class template: its invocations each fork at class granularity.
                    unbounded.add(uid);
                    rememberBelow(plan, id);
                    return;
                }
                if (IsolationSettings.wholeClassIsolated(c, parameters)
                        && IsolationSettings.granularity(c, parameters) == Granularity.CLASS) {
                    pending.add(uid); // one container for the class, its nested classes included
                    rememberBelow(plan, id);
                    return;
                }
            } else if (source.get() instanceof MethodSource ms) {
                Class<?> c = load.apply(ms.getClassName());
                Method m = c == null ? null : findMethod(c, ms);
                if (m == null) {
                    unbounded.add(uid);
                } else if (IsolationSettings.isolated(m, c, parameters)) {
                    if (id.isTest() && !id.isContainer()) pending.add(uid); else unbounded.add(uid);
                }
                rememberBelow(plan, id);
                return;
            }
        }
        for (TestIdentifier child : plan.getChildren(id)) visit(plan, child, parameters, load);
    }

    private static Method findMethod(Class<?> c, MethodSource ms) {
        try {
            return ReflectionSupport.findMethod(c, ms.getMethodName(), ms.getMethodParameterTypes()).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private void rememberBelow(TestPlan plan, TestIdentifier id) {
        for (TestIdentifier d : plan.getDescendants(id)) known.add(d.getUniqueId());
    }

    /** Isolated units still to come, or {@link #UNBOUNDED}. */
    synchronized long stillToCome() {
        return unbounded.isEmpty() ? pending.size() : UNBOUNDED;
    }

    /** The unit {@code uniqueId} takes its child now: it no longer counts as to come. */
    synchronized void taking(String uniqueId) {
        pending.remove(uniqueId);
    }

    /** The node finished or was skipped: it and what is below it will not take a child. */
    synchronized void ended(String uniqueId) {
        pending.remove(uniqueId);
        unbounded.remove(uniqueId);
        // Unique ids are paths of [type:value] segments ('/' in a value is escaped): '0' follows '/'.
        pending.subSet(uniqueId + "/", uniqueId + "0").clear();
        unbounded.subSet(uniqueId + "/", uniqueId + "0").clear();
    }

    private boolean contains(String uniqueId) {
        // A test template's invocations are not in the plan at its start: their template is.
        // (An engine alone says nothing: every plan of Jupiter tests holds it.)
        for (String id = uniqueId; !id.isEmpty(); id = parentOf(id)) {
            if (id.startsWith("[engine:", id.lastIndexOf("/[") + 1)) return false;
            if (known.contains(id)) return true;
        }
        return false;
    }

    private static String parentOf(String uniqueId) {
        int slash = uniqueId.lastIndexOf("/[");
        return slash < 0 ? "" : uniqueId.substring(0, slash);
    }

    static void started(PlanDemand d) {
        RUNNING.addFirst(d);
    }

    /** Forgets the plan (whichever listener counted it). */
    static void finished(TestPlan plan) {
        RUNNING.removeIf(d -> d.plan == plan);
    }

    /** The most recent running plan that holds this test or class, or null (no launcher plan: e.g. the EngineTestKit). */
    static PlanDemand of(String uniqueId) {
        for (PlanDemand d : RUNNING) {
            if (d.contains(uniqueId)) return d;
        }
        return null;
    }
}
