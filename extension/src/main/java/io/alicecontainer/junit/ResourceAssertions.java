package io.alicecontainer.junit;

import io.alicecontainer.ExecResult;
import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.assertions.ExecResultAssert;
import io.alicecontainer.junit.assertions.PressureAssert;
import io.alicecontainer.junit.assertions.ResourceUsageAssert;

/**
 * AssertJ entry point for what containers used and how commands in them ended:
 * <pre>{@code
 * assertThat(usage).memory().peak().isLessThan(mebibytes(64));
 * assertThat(usage).cpu().time().isLessThan("500ms");
 * assertThat(sandbox.exec("sh", "-c", "make")).succeeded().usage().hasNoOomKills();
 * }</pre>
 * Needs AssertJ on the test classpath (this library declares it optional).
 */
public final class ResourceAssertions {
    private ResourceAssertions() {
    }

    public static ResourceUsageAssert assertThat(ResourceUsage actual) {
        return new ResourceUsageAssert(actual);
    }

    public static ExecResultAssert assertThat(ExecResult actual) {
        return new ExecResultAssert(actual);
    }

    public static PressureAssert assertThat(Pressure actual) {
        return new PressureAssert(actual);
    }

    /** {@code n} KiB in bytes. */
    public static long kibibytes(long n) {
        return Math.multiplyExact(n, 1024L);
    }

    /** {@code n} MiB in bytes. */
    public static long mebibytes(long n) {
        return Math.multiplyExact(n, 1024L * 1024);
    }

    /** {@code n} GiB in bytes. */
    public static long gibibytes(long n) {
        return Math.multiplyExact(n, 1024L * 1024 * 1024);
    }
}
