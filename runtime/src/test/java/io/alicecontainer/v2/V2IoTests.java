package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.cgroup.IoLimit;
import io.alicecontainer.rootfs.Bind;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * io.max on pure cgroup v2, on a scratch block device whose content does not matter: the VM's
 * {@code /dev/vda} (system property {@value #DEVICE_PROPERTY} names another one). The test
 * overwrites the device's first MiBs. Direct I/O ({@code oflag=direct}) bypasses the page cache,
 * so the writes reach the block layer, where io.max throttles them, while dd runs.
 */
@RequiresRoot
@DisplayName("v2: io.max on a scratch block device")
class V2IoTests {
    static final String DEVICE_PROPERTY = "alice.v2.scratchDevice";
    private static final long MIB = 1L << 20;
    private static final long WBPS = 2 * MIB;

    private String device;
    private Path sysBlock;

    @BeforeEach
    void pureV2AndScratchDevice() {
        PureV2.assumeControllers();
        device = System.getProperty(DEVICE_PROPERTY, "vda");
        sysBlock = Path.of("/sys/block", device);
        PureV2.unless(Files.isRegularFile(sysBlock.resolve("dev")) && Files.exists(Path.of("/dev", device))
                ? null : "no scratch block device /dev/" + device + " (set -D" + DEVICE_PROPERTY + "=<a disk whose content may be overwritten>)");
    }

    @Test
    @DisplayName("io.max wbps=2M on /dev/vda: 4 MiB of direct writes take about 2 s and io.stat counts them; lifted, they are fast")
    void ioMaxLimitsWriteRate() {
        String[] majMin = PureV2.read(sysBlock, "dev").split(":");
        int major = Integer.parseInt(majMin[0]);
        int minor = Integer.parseInt(majMin[1]);
        String dev = major + ":" + minor;
        Path node = Path.of("/dev", device);
        ContainerConfig config = ContainerConfig.builder()
                .ioLimit(new IoLimit(major, minor, IoLimit.UNLIMITED, WBPS, IoLimit.UNLIMITED, IoLimit.UNLIMITED))
                .bind(Bind.writable(node))
                .timeout(Duration.ofSeconds(60))
                .build();
        try (Container c = Container.create("v2-io", config)) {
            Path cg = c.cgroup().path();
            assertThat(PureV2.read(cg, "io.max")).isEqualTo(dev + " rbps=max wbps=" + WBPS + " riops=max wiops=max");
            String[] dd = {"dd", "if=/dev/zero", "of=" + node, "bs=1M", "count=4", "oflag=direct"};

            ExecResult limited = c.exec(dd);

            assertThat(limited.succeeded()).as(limited + "\n" + limited.stderr()).isTrue();
            long written = ioStat(cg, dev, "wbytes");
            assertThat(written).as("io.stat wbytes of " + dev).isGreaterThanOrEqualTo(4 * MIB);
            assertThat(limited.usage().ioWriteBytes()).isGreaterThanOrEqualTo(4 * MIB);
            double seconds = limited.wallTime().toNanos() / 1e9;
            assertThat(seconds).as("4 MiB at 2 MiB/s: seconds, so at most ~2.7 MiB/s").isGreaterThanOrEqualTo(1.5);

            // Lifted: io.max forgets the device and the same writes go at the disk's speed.
            c.cgroup().setIoMax(new IoLimit(major, minor, IoLimit.UNLIMITED, IoLimit.UNLIMITED, IoLimit.UNLIMITED, IoLimit.UNLIMITED));
            assertThat(PureV2.read(cg, "io.max")).doesNotContain(dev);
            ExecResult free = c.exec(dd);
            assertThat(free.succeeded()).as(free + "\n" + free.stderr()).isTrue();
            assertThat(ioStat(cg, dev, "wbytes")).isGreaterThanOrEqualTo(written + 4 * MIB);
            assertThat(free.wallTime()).as("unthrottled, vs %d ms throttled", limited.wallTime().toMillis())
                    .isLessThan(limited.wallTime().dividedBy(2));
        }
    }

    /** A key of the device's line in io.stat ("254:0 rbytes=... wbytes=... rios=... wios=..."). */
    private static long ioStat(Path cg, String dev, String key) {
        String stat = PureV2.read(cg, "io.stat");
        for (String line : stat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals(dev)) continue;
            for (String kv : f) {
                if (kv.startsWith(key + "=")) return Long.parseLong(kv.substring(key.length() + 1));
            }
        }
        throw new AssertionError("io.stat has no " + key + " for " + dev + ": " + stat);
    }
}
