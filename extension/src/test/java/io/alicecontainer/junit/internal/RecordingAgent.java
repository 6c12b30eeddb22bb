package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.ProtectionDomain;

/**
 * A -javaagent that transforms nothing but writes the name of every class offered to its
 * transformer into the file given as its argument, at exit: what a coverage agent such as JaCoCo
 * gets to instrument.
 */
public final class RecordingAgent {
    private RecordingAgent() {
    }

    public static void premain(String file, Instrumentation inst) {
        StringBuilder seen = new StringBuilder();
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
                synchronized (seen) {
                    seen.append(name).append('\n');
                }
                return null;
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                synchronized (seen) {
                    Files.writeString(Path.of(file), seen, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }
}
