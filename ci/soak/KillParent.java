import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * For kill-parent.sh. {@code run}: runs the extension's sleeping isolated fixture (the JVM is then
 * killed from outside). {@code sweep}: starts the runtime once, which sweeps the groups of JVMs
 * that died, and makes one container.
 */
public final class KillParent {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("run")) {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Class.forName("io.alicecontainer.junit.IsolationSoakTests$SleeperTestCase"))).build());
        } else {
            try (Container c = Container.create("sweep-" + ProcessHandle.current().pid(), ContainerConfig.builder().build())) {
                if (c.exec("/bin/true").exitCode() != 0) throw new IllegalStateException("/bin/true failed");
            }
        }
    }
}
