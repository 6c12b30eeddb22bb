package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A throwable's bytes come from the child, i.e. from the test's own code, and are read in the
 * parent: plain failures arrive as themselves, and nothing but throwables and plain values is
 * ever instantiated from them (no deserialization gadget of the test class path runs).
 */
class ThrowableTransportTests {

    /** Stands for a gadget: any serializable class whose readObject does something. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    /** Stands for a gadget that is a throwable: the test's own subclass with a readObject. */
    static final class GadgetException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        GadgetException(String message) {
            super(message);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    /** A value of the test's own in an assertion failure. */
    enum Colour { RED, GREEN }

    /** An exception that carries an object of the test's. */
    static final class CarryingException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Object payload;

        CarryingException(String message, Object payload) {
            super(message);
            this.payload = payload;
        }
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @Test
    @DisplayName("an assertion failure with plain values arrives as itself, expected and actual included")
    void plainFailureArrivesAsItself() {
        AssertionFailedError sent = new AssertionFailedError("expected: <2> but was: <3>", 2, new BigDecimal("3.0"));
        sent.addSuppressed(new IllegalStateException("also this", new RuntimeException("cause")));

        Throwable got = ThrowableTransport.decode(ThrowableTransport.encode(sent), getClass().getClassLoader());

        assertThat(got).isInstanceOf(AssertionFailedError.class).hasMessage("expected: <2> but was: <3>");
        AssertionFailedError failure = (AssertionFailedError) got;
        assertThat(failure.getExpected().getValue()).isEqualTo(2);
        assertThat(failure.getActual().getValue()).isEqualTo(new BigDecimal("3.0"));
        assertThat(got.getSuppressed()).hasSize(1);
        assertThat(got.getSuppressed()[0]).hasMessage("also this").hasCauseInstanceOf(RuntimeException.class);
        assertThat(got.getStackTrace()).isEqualTo(sent.getStackTrace());
    }

    @Test
    @DisplayName("a throwable holding an object of the test's arrives as its copy; the object's readObject never runs")
    void otherObjectsAreNeverInstantiated() {
        Gadget.ran = false;
        CarryingException sent = new CarryingException("boom", new Gadget());

        Throwable got = ThrowableTransport.decode(ThrowableTransport.encode(sent), getClass().getClassLoader());

        assertThat(Gadget.ran).as("the gadget's readObject ran in the parent").isFalse();
        assertThat(got).isInstanceOf(RemoteThrowable.class).hasMessageContaining("boom");
        assertThat(got.toString()).contains(CarryingException.class.getName());
        assertThat(got.getStackTrace()).isEqualTo(sent.getStackTrace());
    }

    @Test
    @DisplayName("bytes that are a gadget instead of the envelope are refused with a clear error, the gadget not made")
    void aBareGadgetIsRefused() throws IOException {
        Gadget.ran = false;
        byte[] bytes = serialize(List.of(new Gadget()));

        assertThatThrownBy(() -> ThrowableTransport.decode(bytes, getClass().getClassLoader()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot decode the child's exception");
        assertThat(Gadget.ran).isFalse();
    }

    @Test
    @DisplayName("the test's own throwable subclass with a readObject is sent as its copy and never instantiated in the parent")
    void aThrowableGadgetIsSentAsItsCopy() {
        GadgetException.ran = false;
        GadgetException sent = new GadgetException("boom");

        Throwable got = ThrowableTransport.decode(ThrowableTransport.encode(sent), getClass().getClassLoader());

        assertThat(GadgetException.ran).as("the throwable gadget's readObject ran in the parent").isFalse();
        assertThat(got).isInstanceOf(RemoteThrowable.class).hasMessage(GadgetException.class.getName() + ": boom");
        assertThat(((RemoteThrowable) got).originalClassName()).isEqualTo(GadgetException.class.getName());
        assertThat(got.getStackTrace()).isEqualTo(sent.getStackTrace());
    }

    @Test
    @DisplayName("a child that writes the throwable gadget's bytes itself gets the copy: the parent's filter refuses the class")
    void aThrowableGadgetWrittenByHandIsRefused() throws IOException {
        GadgetException.ran = false;
        GadgetException sent = new GadgetException("by hand");
        byte[] bytes = serialize(new ThrowableTransport.Envelope(serialize(sent), ThrowableTransport.copy(sent, 0)));

        Throwable got = ThrowableTransport.decode(bytes, getClass().getClassLoader());

        assertThat(GadgetException.ran).as("the throwable gadget's readObject ran in the parent").isFalse();
        assertThat(got).isInstanceOf(RemoteThrowable.class).hasMessage(GadgetException.class.getName() + ": by hand");
    }

    @Test
    @DisplayName("a JUnit failure with the test's own cause and values keeps its type; the cause and values arrive as copies")
    void trustedFailureWithUntrustedParts() {
        GadgetException.ran = false;
        AssertionFailedError sent = new AssertionFailedError("expected: <RED> but was: <GREEN>", Colour.RED,
                List.of(Colour.GREEN, 7), new GadgetException("the cause"));

        Throwable got = ThrowableTransport.decode(ThrowableTransport.encode(sent), getClass().getClassLoader());

        assertThat(GadgetException.ran).isFalse();
        assertThat(got).isInstanceOf(AssertionFailedError.class).hasMessage("expected: <RED> but was: <GREEN>");
        AssertionFailedError failure = (AssertionFailedError) got;
        assertThat(failure.getExpected().getValue()).isEqualTo("RED");
        assertThat(failure.getExpected().getStringRepresentation()).isEqualTo("RED");
        assertThat(failure.getActual().getValue()).isEqualTo(List.of("GREEN", 7));
        assertThat(got.getCause()).isInstanceOf(RemoteThrowable.class).hasMessage(GadgetException.class.getName() + ": the cause");
        assertThat(ThrowableTransport.acceptable(Colour.class)).isFalse();
        assertThat(ThrowableTransport.acceptable(java.util.concurrent.TimeUnit.class)).isTrue();
    }
}
