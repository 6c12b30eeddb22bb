package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a CDS archive: a hash of what the JVM checks before it maps one (the JDK, the
 * options that change the object layout, each archived jar's path, size and modification time),
 * so that a new JDK, a rebuilt jar or another heap layout gets a new archive instead of a
 * rejected one.
 */
final class ArchiveKey {
    /** Bumped when what goes into an archive changes (the warm-up, the dump steps). */
    private static final String FORMAT = "alice-cds-3";

    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    private ArchiveKey() {
    }

    static String of(String java, List<String> relevantOptions, List<Path> jars) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path home = javaHome(java);
        StringBuilder b = new StringBuilder(FORMAT).append('\n').append(home).append('\n');
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) b.append(Files.readString(release, StandardCharsets.UTF_8));
        stamp(b, home.resolve("lib/modules"));
        stamp(b, home.resolve("lib/server/libjvm.so"));
        for (String o : relevantOptions) b.append("opt ").append(o).append('\n');
        for (Path jar : jars) stamp(b, jar);
        byte[] digest = sha.digest(b.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 12);
    }

    /**
     * The feature release of the JDK behind a java executable ({@code JAVA_VERSION} of its
     * {@code release} file: 17, 25), or 0 when it cannot be read (then it gets the static archive).
     */
    static int feature(String java) {
        return FEATURES.computeIfAbsent(java, ArchiveKey::readFeature);
    }

    private static final java.util.Map<String, Integer> FEATURES = new java.util.concurrent.ConcurrentHashMap<>();

    private static int readFeature(String java) {
        try {
            Path release = javaHome(java).resolve("release");
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) return Integer.parseInt(m.group(1));
            }
        } catch (IOException | RuntimeException e) {
            // no release file: treated as an old JDK
        }
        return 0;
    }

    /** The JDK behind a java executable, links resolved (/usr/bin/java is one on Debian). */
    static Path javaHome(String java) throws IOException {
        return Path.of(java).toRealPath().getParent().getParent();
    }

    private static void stamp(StringBuilder b, Path file) throws IOException {
        if (!Files.exists(file)) {
            b.append(file).append(" -\n");
            return;
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        b.append(file).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append('\n');
    }

    /** The options that choose a child's compilers (ChildDefaults' and the user's). */
    private static final Pattern COMPILERS = Pattern.compile("-XX:TieredStopAtLevel=.*|-XX:[+-]TieredCompilation|-XX:CompileThresholdScaling=.*");

    /**
     * The options of an AOT cache's training run: {@link #relevantOptions} and the child's choice
     * of compilers, so that the run trains what the children run (C1 only, by default). It does
     * not decide whether a cache can be used, so it is not part of the key. Measured
     * (ci/benchmarks/README.md, two loaded runs): a pooled JDK 25 child 0.54-0.62 s of CPU with a
     * cache trained so, 0.65-0.67 s with one trained with the JVM's defaults; small, within the ranges.
     */
    static List<String> trainingOptions(List<String> options) {
        List<String> out = new ArrayList<>(relevantOptions(options));
        for (String o : options) if (COMPILERS.matcher(o).matches()) out.add(o);
        return out;
    }

    /**
     * The options of a child that an archive must be made with too: the collector and the heap's
     * size and layout (compressed oops and class pointers are archived as they were), and the
     * modules added to the boot layer: an agent adds {@code java.instrument}, and JDK 25 prints
     * "[error][cds] Mismatched values for property jdk.module.addmods" into every child's output
     * when the archive was made without it (measured; JDK 17 says nothing). Agents themselves,
     * properties and logging do not matter and stay out of the warm-up run.
     */
    static List<String> relevantOptions(List<String> options) {
        List<String> out = new ArrayList<>();
        java.util.TreeSet<String> modules = new java.util.TreeSet<>();
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize") || o.startsWith("-XX:ObjectAlignmentInBytes")
                    || o.matches("-XX:[+-]Use\\w*GC") || o.matches("-XX:[+-]UseCompressed\\w+")
                    || o.startsWith("-XX:CompressedClassSpaceSize")) {
                out.add(o);
            } else if (o.startsWith("-javaagent:")) {
                modules.add("java.instrument");
            } else if (o.startsWith("--add-modules=")) {
                modules.addAll(List.of(o.substring("--add-modules=".length()).split(",")));
            } else if (o.equals("--add-modules") && i + 1 < options.size()) {
                modules.addAll(List.of(options.get(++i).split(",")));
            }
        }
        if (!modules.isEmpty()) out.add("--add-modules=" + String.join(",", modules));
        return out;
    }
}
