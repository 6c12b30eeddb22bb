package io.alicecontainer.junit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * JVM options every child gets unless the test JVM's own options, {@code alice.isolation.jvmOptions}
 * or {@code JAVA_TOOL_OPTIONS} set the same thing. Chosen by measurement (ci/benchmarks/README.md,
 * "Child JVM options"): a child runs one short test, so start-up is what it pays for.
 * <ul>
 *   <li>{@code -XX:TieredStopAtLevel=1}: C1 only; C2 compiles do not pay off before the child
 *       exits (a trivial test's child: 1.43 s of CPU with G1 and C2, 1.00 s with C1 only, loaded
 *       machine). A test that computes for seconds runs slower: give it {@code -XX:TieredStopAtLevel=4}.
 *       Not for a child that runs a whole class (class granularity, {@link #wholeClass}).</li>
 *   <li>{@code -XX:CompileThresholdScaling=3}: C1 compiles a method after three times as many
 *       calls and loop iterations; a child that lives for one short test spends less on compiles
 *       that never pay off (a pooled child with the archive: 0.47-0.50 s of CPU instead of
 *       0.52-0.57 s, boot and test, four rounds side by side on the loaded machine; ci/benchmarks/README.md).
 *       A test that computes for long pays a few milliseconds more in the interpreter first.</li>
 * </ul>
 * Tried and not made defaults (no difference beyond the noise): {@code -XX:-UsePerfData},
 * {@code -XX:CICompilerCount=1}, {@code -Xss512k -XX:ReservedCodeCacheSize=32m}; the interpreter alone
 * ({@code -XX:TieredStopAtLevel=0}) costs more than C1 (0.74-0.91 s of CPU against 0.67-0.77 s).
 * Not a default any more: {@code -XX:+UseSerialGC} (2 MiB less resident memory per child, no CPU
 * difference measurable): the collector is behaviour a test can see. With Serial GC an array must
 * fit in the old generation (about two thirds of the heap) where G1 can use the whole heap, so
 * Commons Codec's {@code Base64Test.testCodec265}, which checks that ~5.3 GiB are free and then
 * allocates 1 + 2 + 1.3 GiB arrays, passed in-process and ran out of heap isolated. The child keeps
 * the collector the JVM picks by itself, as the test JVM did.
 */
final class ChildDefaults {
    /** A default and the options that mean the user chose that setting already. */
    private record Default(String option, Pattern chosen) {
    }

    private static final Pattern COMPILER_LEVEL = Pattern.compile("-XX:TieredStopAtLevel=.*|-XX:[+-]TieredCompilation|-Xint|-Xcomp");

    private static final List<Default> DEFAULTS = List.of(
            new Default("-XX:TieredStopAtLevel=1", COMPILER_LEVEL),
            new Default("-XX:CompileThresholdScaling=3", Pattern.compile("-XX:CompileThresholdScaling=.*|-Xint|-Xcomp")));

    private ChildDefaults() {
    }

    /** The defaults that none of these options (nor the JVM's environment variables) already set. */
    static List<String> options(List<String> inherited, List<String> extra) {
        List<String> given = given(inherited, extra);
        List<String> out = new ArrayList<>();
        for (Default d : DEFAULTS) {
            if (given.stream().noneMatch(o -> d.chosen().matcher(o).matches())) out.add(d.option());
        }
        return out;
    }

    /**
     * What a child that runs a whole test class (class granularity) gets on top of its options:
     * the JVM's own tiered compilation, C2 included, in place of the C1-only default, unless an
     * option of the user's chose the compilers. Such a child lives for a whole class, long enough
     * for C2 to pay off: Commons Codec's suite at class granularity took 127 s with it and 168 s
     * with C1 only (in-process 61 s; {@code real-suite.sh}, ci/benchmarks/README.md), while its
     * children's boot cost ~0.1 s more CPU (0.73 s against 0.63 s, median), which a child running
     * one short test would pay for nothing.
     */
    static List<String> wholeClass(List<String> inherited, List<String> extra) {
        return given(inherited, extra).stream().anyMatch(o -> COMPILER_LEVEL.matcher(o).matches())
                ? List.of() : List.of(FULL_TIERED);
    }

    /** The JVM's default compilation: tiered up to C2. */
    static final String FULL_TIERED = "-XX:TieredStopAtLevel=4";

    private static List<String> given(List<String> inherited, List<String> extra) {
        List<String> given = new ArrayList<>(inherited);
        given.addAll(extra);
        for (String env : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) given.addAll(List.of(v.trim().split("\\s+")));
        }
        return given;
    }
}
