package io.alicecontainer.junit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.ExecResult;

/**
 * The Sandbox service channel between an isolated test's child JVM and the parent, which runs
 * the test's {@code Sandbox} commands in new containers (the child holds no privilege to make
 * containers). Two pipes, the child's fds 5 (requests, child → parent) and 6 (responses).
 *
 * <p>A request is {@code u32 magic "ALSB", u32 argc, argc × (u32 length, UTF-8 bytes)}, big
 * endian; the parent reads it with bounds and no Java deserialization: the child runs the test's
 * code and is not trusted. A response is {@code u32 magic, u8 kind, u32 length, payload}: kind 0
 * a serialized {@link ExecResult} (the child trusts its parent), kind 1 an error message.
 */
public final class SandboxProtocol {
    /** The system property that tells the child where its channel is: "request path,response path". */
    public static final String CHANNEL_PROPERTY = "alice.isolation.sandbox.channel";
    /** The child's fds. */
    public static final int CHILD_REQUEST_FD = 5;
    public static final int CHILD_RESPONSE_FD = 6;

    static final int MAGIC = 0x414c5342; // "ALSB"
    static final int MAX_ARGS = 4096;
    static final int MAX_REQUEST_BYTES = 1 << 20;
    static final int MAX_RESPONSE_BYTES = 256 << 20;
    private static final byte KIND_RESULT = 0;
    private static final byte KIND_ERROR = 1;

    /** A frame that breaks the protocol: the channel cannot be used any more. */
    public static final class ProtocolException extends IOException {
        public ProtocolException(String message) {
            super(message);
        }
    }

    private SandboxProtocol() {
    }

    public static void writeRequest(OutputStream out, List<String> argv) throws IOException {
        if (argv.isEmpty() || argv.size() > MAX_ARGS) {
            throw new IllegalArgumentException("a Sandbox command has 1 to " + MAX_ARGS + " arguments, not " + argv.size());
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(MAGIC);
        d.writeInt(argv.size());
        for (String a : argv) {
            byte[] s = a.getBytes(StandardCharsets.UTF_8);
            d.writeInt(s.length);
            d.write(s);
        }
        if (b.size() > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("a Sandbox command takes at most " + MAX_REQUEST_BYTES + " bytes of arguments, not " + b.size());
        }
        out.write(b.toByteArray());
        out.flush();
    }

    /**
     * The next request's argv, or null at a clean end of the stream (the child closed it between
     * requests).
     *
     * @throws ProtocolException for anything but a well-formed request, naming what is wrong
     */
    public static List<String> readRequest(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = in.read();
        if (first < 0) return null;
        int magic = (first << 24) | (readByte(d) << 16) | (readByte(d) << 8) | readByte(d);
        if (magic != MAGIC) throw new ProtocolException(String.format("not a Sandbox request: magic 0x%08x instead of 0x%08x", magic, MAGIC));
        int argc = readInt(d, "argc");
        if (argc < 1 || argc > MAX_ARGS) throw new ProtocolException("a Sandbox request has 1 to " + MAX_ARGS + " arguments, not " + argc);
        List<String> argv = new ArrayList<>(argc);
        long total = 8;
        for (int i = 0; i < argc; i++) {
            int len = readInt(d, "length of argument " + i);
            total += 4L + len;
            if (len < 0 || total > MAX_REQUEST_BYTES) {
                throw new ProtocolException("argument " + i + " of a Sandbox request has a bad length " + len + " (at most "
                        + MAX_REQUEST_BYTES + " bytes in all)");
            }
            byte[] s = new byte[len];
            try {
                d.readFully(s);
            } catch (EOFException e) {
                throw new ProtocolException("the Sandbox request ends inside argument " + i);
            }
            argv.add(utf8(s, i));
        }
        if (argv.get(0).isEmpty()) throw new ProtocolException("argv[0] of a Sandbox request is empty");
        return argv;
    }

    public static void writeResult(OutputStream out, ExecResult result) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(result);
        }
        frame(out, KIND_RESULT, b.toByteArray());
    }

    public static void writeError(OutputStream out, String message) throws IOException {
        frame(out, KIND_ERROR, message.getBytes(StandardCharsets.UTF_8));
    }

    /** The parent's answer: the result, or an exception carrying the parent's error. */
    public static ExecResult readResponse(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int magic;
        try {
            magic = d.readInt();
        } catch (EOFException e) {
            throw new ProtocolException("the parent closed the Sandbox channel without an answer");
        }
        if (magic != MAGIC) throw new ProtocolException(String.format("not a Sandbox response: magic 0x%08x", magic));
        int kind = readByte(d);
        int len = readInt(d, "length");
        if (len < 0 || len > MAX_RESPONSE_BYTES) throw new ProtocolException("a Sandbox response of " + len + " bytes");
        byte[] payload = new byte[len];
        d.readFully(payload);
        if (kind == KIND_ERROR) throw new SandboxFailure(new String(payload, StandardCharsets.UTF_8));
        if (kind != KIND_RESULT) throw new ProtocolException("a Sandbox response of unknown kind " + kind);
        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            return (ExecResult) o.readObject();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ProtocolException("the Sandbox response holds no ExecResult: " + e);
        }
    }

    /** The parent could not run the command; its message says why. */
    public static final class SandboxFailure extends IOException {
        public SandboxFailure(String message) {
            super(message);
        }
    }

    private static void frame(OutputStream out, byte kind, byte[] payload) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeByte(kind);
        d.writeInt(payload.length);
        d.write(payload);
        d.flush();
    }

    private static int readByte(DataInputStream d) throws IOException {
        int b = d.read();
        if (b < 0) throw new ProtocolException("the Sandbox frame ends early");
        return b;
    }

    private static int readInt(DataInputStream d, String what) throws IOException {
        try {
            return d.readInt();
        } catch (EOFException e) {
            throw new ProtocolException("the Sandbox frame ends before its " + what);
        }
    }

    private static String utf8(byte[] s, int i) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(s)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("argument " + i + " of a Sandbox request is not UTF-8");
        }
    }
}
