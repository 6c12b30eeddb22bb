package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

import io.alicecontainer.ByteSize;
import io.alicecontainer.DurationText;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded mutation fuzz of the parsers that read what users write (sizes, durations)
 * and what the kernel writes (cpu.stat, memory.events, PSI, io.stat, blkio, limits, mountinfo with
 * /proc/self/cgroup): every input either parses or fails with an IllegalArgumentException (or
 * IllegalStateException / CgroupException) carrying a message; never an NPE, an index or
 * arithmetic exception. ALICE_FUZZ_ROUNDS raises the rounds for a longer run by hand; the seed
 * of a failure is printed so it can be replayed.
 */
@DisplayName("Parsers take bad input with a clear exception (seeded mutation fuzz)")
class ParserFuzzTests {
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("ALICE_FUZZ_ROUNDS", "3000"));
    private static final long SEED = 20261201L;
    private static final String ALPHABET = "0123456789 .=-+_\n\t:/kKmMgGtTbBsSuUnN%abcdefghijklmnopqrstuvwxyz\u00b5\u0000\u00e9";

    static final List<String> SIZES = List.of("64M", "1G", "512k", "1024", "0", "-1M", "1.5G", "9223372036854775807", "8E", "max");
    static final List<String> DURATIONS = List.of("500ms", "1s", "2m", "1h", "300us", "5000ns", "1.5s", "-1s", "0", "PT1S");
    static final List<String> CPU_STAT = List.of(
            "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\nnr_periods 10\nnr_throttled 2\nthrottled_usec 5000\n",
            "oom 0\noom_kill 1\nmax 0\n");
    static final List<String> PSI = List.of(
            "some avg10=0.00 avg60=1.50 avg300=0.30 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=42\n");
    static final List<String> IO = List.of("8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n", "8:0 Read 4096\n8:0 Write 8192\nTotal 12288\n");
    static final String MOUNTINFO = "25 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
            + "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs ro,mode=755\n"
            + "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n"
            + "32 30 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n"
            + "33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n";
    static final String SELF_CGROUP = "4:memory:/user.slice\n3:cpu,cpuacct:/\n0::/user.slice/session-1.scope\n";

    @Test
    @DisplayName("sizes (ByteSize.parse)")
    void sizes() {
        fuzz(SIZES, s -> {
            long v = ByteSize.parse(s);
            assertThat(v).isGreaterThanOrEqualTo(0);
        });
    }

    @Test
    @DisplayName("durations (DurationText.parse)")
    void durations() {
        fuzz(DURATIONS, s -> assertThat(DurationText.parse(s)).isNotNull());
    }

    @Test
    @DisplayName("cpu.stat, memory.events (flat keyed) and limits")
    void flatKeyed() {
        fuzz(CPU_STAT, s -> assertThat(CgroupStats.flatKeyed(s)).isNotNull());
        fuzz(List.of("max", "9223372036854771712", "1048576", "0"), s -> CgroupStats.parseLimit(s));
    }

    @Test
    @DisplayName("PSI lines")
    void pressure() {
        fuzz(PSI, s -> {
            var p = CgroupStats.pressure(s);
            assertThat(p.someTotal().isNegative()).as("negative total from %s", s).isFalse();
        });
    }

    @Test
    @DisplayName("io.stat and blkio")
    void io() {
        fuzz(IO, s -> {
            CgroupStats.ioStatBytes(s);
            CgroupStats.blkioBytes(s);
        });
    }

    @Test
    @DisplayName("mountinfo and /proc/self/cgroup")
    void layout() {
        fuzz(List.of(MOUNTINFO), s -> CgroupLayout.parse(s, SELF_CGROUP, p -> Optional.of("")));
        fuzz(List.of(SELF_CGROUP), s -> CgroupLayout.parse(MOUNTINFO, s, p -> Optional.of("")));
    }

    /** Mutates the seeds ROUNDS times each; accepted exceptions must name what is wrong. */
    static void fuzz(List<String> seeds, Consumer<String> parser) {
        Random random = new Random(SEED);
        List<String> bad = new ArrayList<>();
        for (int round = 0; round < ROUNDS && bad.size() < 5; round++) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                parser.accept(input);
            } catch (IllegalArgumentException | IllegalStateException | CgroupException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) bad.add(show(input) + " -> " + e + " (no message)");
            } catch (RuntimeException | AssertionError e) {
                bad.add(show(input) + " -> " + e);
            }
        }
        assertThat(bad).as("inputs that broke the parser (seed %d)", SEED).isEmpty();
    }

    static String mutate(String seed, Random r) {
        StringBuilder b = new StringBuilder(seed);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(6)) {
                case 0 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 1 -> { if (at < b.length()) b.deleteCharAt(at); }
                case 2 -> { if (at < b.length()) b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length()))); }
                case 3 -> b.insert(at, "99999999999999999999");
                case 4 -> { if (b.length() > 0) b.setLength(r.nextInt(b.length())); }
                default -> b.insert(at, b.substring(0, Math.min(b.length(), r.nextInt(8))));
            }
        }
        return b.toString();
    }

    private static String show(String s) {
        return "`" + s.replace("\n", "\\n").replace("\0", "\\0") + "`";
    }

}
