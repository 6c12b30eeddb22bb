package io.alicecontainer.junit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alicecontainer.ResourceUsage;

/**
 * The frames of a child's test channel (fds 3 and 4): a compact binary format, written and read
 * by hand, no Java serialization. A child JVM that maps its classes from the CDS archive decodes
 * a request of this format in well under a millisecond, where {@code ObjectInputStream} took ~60 ms
 * of CPU on every child's critical path (record deserialization spins method handles in a fresh
 * JVM; measured, ci/benchmarks/README.md), and the parent reads what the untrusted child sends
 * with bounds and without instantiating any class the child names.
 *
 * <p>A frame: {@code u32 magic "ALCH", u8 type, u32 length, length bytes of payload}, big endian.
 * Strings are {@code i32 length} (-1: null) and UTF-8 bytes (malformed input is refused), byte
 * arrays the same, booleans one byte (0 or 1). Parent to child: {@link #REQUEST} (the ids, the
 * configuration parameters), {@link #ACK}, {@link #USAGE} (a serialized {@link ResourceUsage} or
 * nothing: the child trusts its parent). Child to parent: {@link #STARTED}, {@link #FINISHED},
 * {@link #USAGE_QUERY} (a unique id each), {@link #RESULT} (a {@link RunResult}). A frame's
 * payload must be read exactly to its end.
 */
public final class ChildChannel {
    static final int MAGIC = 0x414c4348; // "ALCH"
    /** The largest frame either side accepts (a deep stack trace or many report entries: ~1 MiB). */
    public static final int MAX_FRAME = 64 << 20;

    public static final byte REQUEST = 1;
    public static final byte ACK = 2;
    public static final byte USAGE = 3;
    public static final byte STARTED = 10;
    public static final byte FINISHED = 11;
    public static final byte USAGE_QUERY = 12;
    public static final byte RESULT = 13;

    /** A frame that breaks the format: the channel cannot be used any more. */
    public static final class ProtocolException extends IOException {
        public ProtocolException(String message) {
            super(message);
        }
    }

    /** The end of the stream inside a frame, after {@code bytes} bytes of it. */
    public static final class TruncatedException extends EOFException {
        public final long bytes;

        TruncatedException(long bytes) {
            super("the channel ended " + bytes + " bytes into a frame");
            this.bytes = bytes;
        }
    }

    /** One frame read: its type and payload. */
    public record Frame(byte type, byte[] payload) {
    }

    private ChildChannel() {
    }

    // --- frames --------------------------------------------------------------------------------

    public static void write(OutputStream out, byte type, byte[] payload) throws IOException {
        if (payload.length > MAX_FRAME) throw new IOException("a frame of " + payload.length + " bytes (at most " + MAX_FRAME + ")");
        byte[] head = {(byte) (MAGIC >>> 24), (byte) (MAGIC >>> 16), (byte) (MAGIC >>> 8), (byte) MAGIC, type,
                (byte) (payload.length >>> 24), (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length};
        out.write(head);
        out.write(payload);
        out.flush();
    }

    /**
     * The next frame, or null at a clean end of the stream (between frames).
     *
     * @param maxPayload the largest payload accepted now (at most {@link #MAX_FRAME})
     * @throws TruncatedException the stream ended inside a frame
     * @throws ProtocolException  anything but a well-formed frame head, naming what is wrong
     */
    public static Frame read(InputStream in, long maxPayload) throws IOException {
        byte[] head = new byte[9];
        int n = readFully(in, head, 0, head.length);
        if (n == 0) return null;
        if (n < head.length) throw new TruncatedException(n);
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        if (magic != MAGIC) {
            throw new ProtocolException(String.format("not a frame of the child channel: magic 0x%08x instead of 0x%08x", magic, MAGIC));
        }
        byte type = head[4];
        int len = ((head[5] & 0xff) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
        if (len < 0 || len > Math.min(MAX_FRAME, maxPayload)) {
            throw new ProtocolException("a frame of type " + type + " announces " + (len & 0xffffffffL) + " bytes (at most "
                    + Math.min(MAX_FRAME, maxPayload) + " are accepted)");
        }
        byte[] payload = new byte[len];
        int got = readFully(in, payload, 0, len);
        if (got < len) throw new TruncatedException(head.length + (long) got);
        return new Frame(type, payload);
    }

    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int k = in.read(b, off + done, len - done);
            if (k < 0) break;
            done += k;
        }
        return done;
    }

    // --- payloads ------------------------------------------------------------------------------

    public static byte[] request(RunRequest r) {
        Writer w = new Writer();
        w.i32(r.uniqueIds().size());
        for (String id : r.uniqueIds()) w.str(id);
        strings(w, r.configurationParameters());
        strings(w, r.systemProperties());
        return w.bytes();
    }

    private static void strings(Writer w, Map<String, String> map) {
        w.i32(map.size());
        map.forEach((k, v) -> {
            w.str(k);
            w.str(v);
        });
    }

    private static Map<String, String> strings(Reader r, String what) throws ProtocolException {
        int m = r.count(8, what);
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < m; i++) map.put(r.strNotNull(what + " name"), r.strNotNull(what + " value"));
        return map;
    }

    public static RunRequest request(byte[] payload) throws ProtocolException {
        Reader r = new Reader(payload, "request");
        int n = r.count(4, "unique ids");
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(r.strNotNull("unique id"));
        Map<String, String> params = strings(r, "configuration parameter");
        Map<String, String> properties = strings(r, "system property");
        r.end();
        return new RunRequest(ids, params, properties);
    }

    /** A STARTED, FINISHED or USAGE_QUERY message's payload: its unique id. */
    public static byte[] uniqueId(String id) {
        Writer w = new Writer();
        w.str(id);
        return w.bytes();
    }

    public static String uniqueId(byte[] payload, String what) throws ProtocolException {
        Reader r = new Reader(payload, what);
        String id = r.strNotNull("unique id");
        r.end();
        return id;
    }

    public static byte[] result(RunResult result) {
        Writer w = new Writer();
        w.str(result.error());
        w.i32(result.nodes().size());
        for (NodeResult n : result.nodes()) {
            w.str(n.uniqueId());
            w.str(n.parentId());
            w.str(n.displayName());
            w.bool(n.test());
            w.bool(n.dynamic());
            w.str(n.status());
            w.str(n.reason());
            w.bytes(n.throwable());
            w.i32(n.reportEntries().size());
            for (Map<String, String> e : n.reportEntries()) {
                w.i32(e.size());
                e.forEach((k, v) -> {
                    w.str(k);
                    w.str(v);
                });
            }
        }
        return w.bytes();
    }

    public static RunResult result(byte[] payload) throws ProtocolException {
        Reader r = new Reader(payload, "result");
        String error = r.str("error");
        // a node takes at least 4+4+4+1+1+4+4+4+4 bytes
        int n = r.count(30, "nodes");
        List<NodeResult> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String uniqueId = r.strNotNull("unique id");
            String parentId = r.str("parent id");
            String displayName = r.strNotNull("display name");
            boolean test = r.bool("test");
            boolean dynamic = r.bool("dynamic");
            String status = r.strNotNull("status");
            String reason = r.str("reason");
            byte[] throwable = r.bytes("throwable");
            int entries = r.count(4, "report entries");
            List<Map<String, String>> list = new ArrayList<>(entries);
            for (int j = 0; j < entries; j++) {
                int pairs = r.count(8, "report entry pairs");
                Map<String, String> e = new LinkedHashMap<>();
                for (int k = 0; k < pairs; k++) e.put(r.strNotNull("report entry key"), r.strNotNull("report entry value"));
                list.add(e);
            }
            nodes.add(new NodeResult(uniqueId, parentId, displayName, test, dynamic, status, reason, throwable, List.copyOf(list)));
        }
        r.end();
        return new RunResult(List.copyOf(nodes), error);
    }

    /** The answer to a USAGE_QUERY: the usage, or an empty payload for none. From the parent: the child trusts it. */
    public static byte[] usage(ResourceUsage u) {
        if (u == null) return new byte[0];
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(u);
        } catch (IOException e) {
            return new byte[0];
        }
        return b.toByteArray();
    }

    public static ResourceUsage usage(byte[] payload) {
        if (payload.length == 0) return null;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            return in.readObject() instanceof ResourceUsage u ? u : null;
        } catch (IOException | ClassNotFoundException e) {
            return null;
        }
    }

    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        void i32(int v) {
            try {
                out.writeInt(v);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        void bool(boolean v) {
            bytes.write(v ? 1 : 0);
        }

        void str(String s) {
            bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] b) {
            if (b == null) {
                i32(-1);
                return;
            }
            i32(b.length);
            bytes.write(b, 0, b.length);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Reads a payload with every length and count checked against what is left of it. */
    private static final class Reader {
        private final ByteBuffer buf;
        private final String what;

        Reader(byte[] payload, String what) {
            this.buf = ByteBuffer.wrap(payload);
            this.what = what;
        }

        private ProtocolException bad(String msg) {
            return new ProtocolException("a bad " + what + " frame: " + msg + " (at byte " + buf.position() + " of " + buf.limit() + ")");
        }

        int i32(String field) throws ProtocolException {
            if (buf.remaining() < 4) throw bad("it ends before its " + field);
            return buf.getInt();
        }

        /** A count of items of at least {@code minBytes} each: bounded by what is left. */
        int count(int minBytes, String field) throws ProtocolException {
            int n = i32("number of " + field);
            if (n < 0 || (long) n * minBytes > buf.remaining()) throw bad(n + " " + field + " cannot fit in the " + buf.remaining() + " bytes left");
            return n;
        }

        boolean bool(String field) throws ProtocolException {
            if (buf.remaining() < 1) throw bad("it ends before its " + field);
            byte b = buf.get();
            if (b != 0 && b != 1) throw bad(field + " is " + b + ", not a boolean");
            return b == 1;
        }

        byte[] bytes(String field) throws ProtocolException {
            int len = i32("length of the " + field);
            if (len == -1) return null;
            if (len < 0 || len > buf.remaining()) throw bad("the " + field + " has a bad length " + len);
            byte[] b = new byte[len];
            buf.get(b);
            return b;
        }

        String str(String field) throws ProtocolException {
            byte[] b = bytes(field);
            if (b == null) return null;
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw bad("the " + field + " is not UTF-8");
            }
        }

        String strNotNull(String field) throws ProtocolException {
            String s = str(field);
            if (s == null) throw bad("the " + field + " is missing");
            return s;
        }

        void end() throws ProtocolException {
            if (buf.hasRemaining()) throw bad(buf.remaining() + " bytes after its end");
        }
    }
}
