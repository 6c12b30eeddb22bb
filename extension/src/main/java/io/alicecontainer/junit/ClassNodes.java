package io.alicecontainer.junit;

import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestDescriptor;

/**
 * The nodes of a class that this run selected (its methods, templates, factories, nested classes),
 * for the child of a class that runs in one container: a run that selected only some methods
 * runs only those in the child too. The extension API does not show a context's descriptor, so it
 * is read from Jupiter's context (a private field, as {@link ConfigurationParameters} does);
 * where that fails, the whole class.
 */
final class ClassNodes {
    private ClassNodes() {
    }

    static List<String> selected(ExtensionContext ctx) {
        TestDescriptor d = descriptor(ctx);
        if (d == null || d.getChildren().isEmpty()) return List.of(ctx.getUniqueId());
        return d.getChildren().stream().map(c -> c.getUniqueId().toString()).toList();
    }

    private static TestDescriptor descriptor(ExtensionContext ctx) {
        for (Class<?> c = ctx.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!TestDescriptor.class.isAssignableFrom(f.getType())) continue;
                try {
                    f.setAccessible(true);
                    Object o = f.get(ctx);
                    if (o instanceof TestDescriptor t && t.getUniqueId().toString().equals(ctx.getUniqueId())) return t;
                } catch (RuntimeException | IllegalAccessException e) {
                    // inaccessible: the whole class
                }
            }
        }
        return null;
    }
}
