package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A deliberately WRONG check, to show that the v2 lane can fail: it sets the memory limit through
 * the v1 file name {@code memory.limit_in_bytes}, which a v2 cgroup does not have, and expects
 * the limit to work. It must fail on pure cgroup v2.
 *
 * <p>Not a {@code *Tests} class, so neither Surefire nor the lane's default selection runs it;
 * {@code ci/v2-lane.sh --self-check-broken} selects it and sets {@value #PROPERTY}.
 */
@RequiresRoot
@DisplayName("v2 lane self-check (deliberately broken)")
class BrokenV2LimitCheck {
    static final String PROPERTY = "alice.v2.selfCheckBroken";

    @Test
    @EnabledIfSystemProperty(named = PROPERTY, matches = "true")
    @DisplayName("BROKEN ON PURPOSE: a 64 MiB limit written to the v1 file memory.limit_in_bytes OOM-kills a 256 MiB allocation")
    void v1FileNameOnV2() {
        PureV2.assumeControllers();
        try (Container c = Container.create("v2-broken", ContainerConfig.builder().timeout(Duration.ofSeconds(60)).build())) {
            Path file = c.cgroup().path().resolve("memory.limit_in_bytes");
            String written;
            try {
                Files.writeString(file, Long.toString(64L << 20), StandardOpenOption.WRITE);
                written = "written";
            } catch (IOException e) {
                written = "not written: " + e;
            }
            System.out.println("[alice] self-check: 64 MiB to " + file + ": " + written);

            ExecResult r = c.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1");

            assertThat(r.oomKilled()).as("the 64 MiB limit in %s (%s) OOM-killed the 256 MiB allocation: %s", file, written, r)
                    .isTrue();
        }
    }
}
