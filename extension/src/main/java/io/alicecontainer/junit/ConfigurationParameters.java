package io.alicecontainer.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * All of the launcher's configuration parameters, to hand them to the child. The extension API
 * reads parameters by key only, so the keys come from the engine's own ConfigurationParameters
 * (found reflectively; {@code keySet()} is public API of the platform since 1.9). Where that
 * fails, the child still reads junit-platform.properties and the system properties itself.
 */
final class ConfigurationParameters {
    private ConfigurationParameters() {
    }

    static Map<String, String> all(ExtensionContext ctx) {
        Map<String, String> out = new HashMap<>();
        for (String key : keys(ctx)) {
            Optional<String> v = ctx.getConfigurationParameter(key);
            v.ifPresent(value -> out.put(key, value));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> keys(ExtensionContext ctx) {
        Object params = find(ctx, 0);
        if (params == null) return Set.of();
        try {
            Method keySet = org.junit.platform.engine.ConfigurationParameters.class.getMethod("keySet");
            return (Set<String>) keySet.invoke(params);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Set.of();
        }
    }

    /** Walks a few levels of fields for the engine's ConfigurationParameters. */
    private static Object find(Object o, int depth) {
        if (o == null || depth > 3) return null;
        if (o instanceof org.junit.platform.engine.ConfigurationParameters) return o;
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                String n = f.getType().getName();
                if (!n.startsWith("org.junit")) continue;
                try {
                    f.setAccessible(true);
                    Object found = find(f.get(o), depth + 1);
                    if (found != null) return found;
                } catch (RuntimeException | IllegalAccessException e) {
                    // inaccessible (modules): keep looking
                }
            }
        }
        return null;
    }
}
