package io.alicecontainer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.alicecontainer.cgroup.CgroupOwners;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak check looks where the placement driver really put this JVM's containers (its owner
 * groups), not at a fixed {@code <own cgroup>/alice}: a group left below any of them fails the test.
 * On this host the placement is {@code nested}; in the v2 lane the same check runs in every
 * placement through the suites that use {@link RequiresRoot}.
 */
@RequiresRoot
@DisplayName("The leak check sees the placement's groups")
class NoLeaksExtensionTests {
    @Test
    @DisplayName("a group left below the owner group, wherever the placement put it, is reported")
    void reportsAGroupLeftBelowTheOwner() throws IOException {
        List<Path> owners = CgroupOwners.open();
        assertThat(owners).isNotEmpty().allSatisfy(o -> assertThat(o.getFileName().toString())
                .startsWith("jvm-" + ProcessHandle.current().pid() + "-"));
        NoLeaksExtension check = new NoLeaksExtension();
        ExtensionContext context = Stores.context();
        check.beforeEach(context);
        Path leak = owners.get(owners.size() - 1).resolve("leak-check-" + System.nanoTime());
        Files.createDirectory(leak);
        try {
            assertThatThrownBy(() -> check.afterEach(context)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("cgroup left behind: " + leak);
        } finally {
            Files.delete(leak);
        }
        check.afterEach(context);   // nothing left: passes
    }

    /** A context with a working store: all the check uses. */
    private static final class Stores {
        static ExtensionContext context() {
            var store = new java.util.HashMap<Object, Object>();
            return (ExtensionContext) java.lang.reflect.Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                    new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("getStore")) throw new UnsupportedOperationException(method.getName());
                        return (ExtensionContext.Store) java.lang.reflect.Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                                new Class<?>[] {ExtensionContext.Store.class}, (p, m, a) -> switch (m.getName()) {
                                    case "put" -> store.put(a[0], a[1]);
                                    case "get" -> a.length == 2 ? ((Class<?>) a[1]).cast(store.get(a[0])) : store.get(a[0]);
                                    default -> throw new UnsupportedOperationException(m.getName());
                                });
                    });
        }
    }
}
