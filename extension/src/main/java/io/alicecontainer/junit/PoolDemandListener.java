package io.alicecontainer.junit;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.alicecontainer.junit.internal.ForkedTestAgent;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Tells the pool of warm children how many isolated tests a running plan still holds (see
 * {@link PlanDemand}), so that it boots no child for a test that never comes. Without it (a
 * run through the {@code EngineTestKit}, which calls the engine without the launcher's
 * listeners) the pool refills as before.
 *
 * <p>Public only so that the JUnit Platform can find it through {@code META-INF/services}.
 */
public final class PoolDemandListener implements TestExecutionListener {
    private static final Logger LOG = Logger.getLogger(PoolDemandListener.class.getName());
    private volatile PlanDemand demand;

    /** For the ServiceLoader. */
    public PoolDemandListener() {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        // A child JVM runs one test or class: nothing to count; a run without a pool needs no count.
        if (Boolean.getBoolean(ForkedTestAgent.CHILD_PROPERTY)) return;
        if (testPlan.getConfigurationParameters().get(ChildPool.SIZE).map(v -> v.trim().equals("0")).orElse(false)) return;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            PlanDemand d = PlanDemand.count(testPlan, loader != null ? loader : PoolDemandListener.class.getClassLoader());
            demand = d;
            PlanDemand.started(d);
        } catch (RuntimeException | LinkageError e) {
            // e.g. a malformed alice.isolation.granularity: the extension reports it; the pool refills as before
            LOG.log(Level.FINE, "cannot count the isolated tests of this plan", e);
        }
    }

    @Override
    public void executionSkipped(TestIdentifier testIdentifier, String reason) {
        PlanDemand d = demand;
        if (d != null) d.ended(testIdentifier.getUniqueId());
    }

    @Override
    public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult testExecutionResult) {
        PlanDemand d = demand;
        if (d != null) d.ended(testIdentifier.getUniqueId());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        demand = null;
        PlanDemand.finished(testPlan);
    }
}
