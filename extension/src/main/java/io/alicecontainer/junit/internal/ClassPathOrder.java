package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A class path split into its jars (which a CDS archive can hold) and the rest (directories,
 * missing entries), and whether putting the jars first changes what a lookup finds.
 *
 * @param jars     the regular files, in their order
 * @param rest     directories and entries that do not exist, in their order
 * @param conflict null, or a class or resource of a directory that a later jar also holds (it
 *                 would find the jar's first): then the order must stay and there is no archive
 */
record ClassPathOrder(List<Path> jars, List<Path> rest, String conflict) {
    private static final Map<List<Path>, ClassPathOrder> CACHE = new ConcurrentHashMap<>();

    List<Path> jarsFirst() {
        List<Path> out = new ArrayList<>(jars);
        out.addAll(rest);
        return out;
    }

    /** Computed once per class path and JVM: it walks the directories and reads the jars' indexes. */
    static ClassPathOrder of(List<Path> classpath) {
        return CACHE.computeIfAbsent(List.copyOf(classpath), ClassPathOrder::compute);
    }

    static ClassPathOrder compute(List<Path> classpath) {
        List<Path> jars = new ArrayList<>();
        List<Path> rest = new ArrayList<>();
        Set<String> inDirectories = new HashSet<>();
        String conflict = null;
        for (Path p : classpath) {
            if (Files.isRegularFile(p)) {
                jars.add(p);
                if (conflict == null && !inDirectories.isEmpty()) conflict = firstShared(p, inDirectories);
            } else {
                rest.add(p);
                if (Files.isDirectory(p)) inDirectories.addAll(entries(p));
            }
        }
        return new ClassPathOrder(List.copyOf(jars), List.copyOf(rest), conflict);
    }

    /**
     * Names whose order matters: everything but META-INF (manifests, signatures, licences,
     * service files, which lookups merge rather than shadow) and module-info.class.
     */
    private static boolean matters(String name) {
        return !name.startsWith("META-INF/") && !name.equals("module-info.class") && !name.endsWith("/");
    }

    private static Set<String> entries(Path dir) {
        Set<String> out = new HashSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (matters(name)) out.add(name);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            out.add("?unreadable directory " + dir); // cannot prove the order harmless
        }
        return out;
    }

    private static String firstShared(Path jar, Set<String> inDirectories) {
        if (inDirectories.stream().anyMatch(n -> n.startsWith("?"))) return "an unreadable directory on the class path";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String name = en.nextElement().getName();
                if (matters(name) && inDirectories.contains(name)) return name + " (a directory and " + jar + ")";
            }
            return null;
        } catch (IOException e) {
            return "an unreadable jar " + jar + " (" + e.getMessage() + ")";
        }
    }
}
