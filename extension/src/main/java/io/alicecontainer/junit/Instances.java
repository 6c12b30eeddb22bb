package io.alicecontainer.junit;

import java.lang.reflect.Constructor;

/**
 * Test instances for the calling JVM of a wholly isolated class: allocated without running the
 * class's constructor or field initialisers (which belong to the child), as serialization does
 * ({@code sun.reflect.ReflectionFactory}, exported by the jdk.unsupported module for this use).
 */
final class Instances {
    private Instances() {
    }

    static <T> T allocate(Class<T> type) {
        try {
            @SuppressWarnings("restriction")
            sun.reflect.ReflectionFactory rf = sun.reflect.ReflectionFactory.getReflectionFactory();
            Constructor<?> ctor = rf.newConstructorForSerialization(type, Object.class.getDeclaredConstructor());
            return type.cast(ctor.newInstance());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot allocate an instance of " + type.getName()
                    + " without its constructor (needed to keep the constructor in the isolated child): " + e, e);
        }
    }
}
