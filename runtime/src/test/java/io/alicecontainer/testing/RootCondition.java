package io.alicecontainer.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.clone3.Clone3;
import io.alicecontainer.clone3.SpawnShim;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

final class RootCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missing();
        if (missing == null) return ConditionEvaluationResult.enabled("root, cgroups and the spawn shim are here");
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run every container test, but " + missing);
        }
        String reason = "skipped " + context.getDisplayName() + ": " + missing;
        System.out.println("[alice] " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) return "the test needs root (it creates cgroups and namespaces)";
        if (!Files.isDirectory(Path.of("/sys/fs/cgroup"))) return "no /sys/fs/cgroup on this machine";
        if (!Clone3.isAvailable()) return "the spawn shim is unavailable: " + SpawnShim.unavailabilityCause();
        return null;
    }
}
