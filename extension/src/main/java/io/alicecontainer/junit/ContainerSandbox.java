package io.alicecontainer.junit;

import java.util.concurrent.atomic.AtomicLong;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;

/** {@link Sandbox}: one new container per command, removed when it ends. */
final class ContainerSandbox implements Sandbox {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final ContainerConfig config;

    ContainerSandbox(ContainerConfig config) {
        this.config = config;
    }

    @Override
    public ExecResult exec(String... argv) {
        try (Container c = Container.create("sandbox-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet(), config)) {
            return c.exec(argv);
        }
    }
}
