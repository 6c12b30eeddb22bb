package io.alicecontainer.junit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import io.alicecontainer.ContainerException;
import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.internal.SandboxProtocol;

/**
 * {@link Sandbox} inside the child JVM: asks the parent, over the Sandbox channel, to run each
 * command in a new container (the child's own container may not make containers). One command
 * at a time per JVM.
 */
final class ParentSandbox implements Sandbox {
    private static InputStream in;
    private static OutputStream out;

    /** The channel's paths from the child's system property, or null when the parent offers none. */
    static String[] channel() {
        String v = System.getProperty(SandboxProtocol.CHANNEL_PROPERTY);
        if (v == null || v.isBlank()) return null;
        String[] parts = v.split(",");
        return parts.length == 2 ? parts : null;
    }

    @Override
    public ExecResult exec(String... argv) {
        if (argv == null || argv.length == 0) throw new IllegalArgumentException("exec needs a command, got none");
        synchronized (ParentSandbox.class) {
            try {
                if (out == null) {
                    String[] ch = channel();
                    if (ch == null) throw new IllegalStateException("this JVM has no Sandbox channel to its parent");
                    out = new BufferedOutputStream(new FileOutputStream(ch[0]));
                    in = new BufferedInputStream(new FileInputStream(ch[1]));
                }
                SandboxProtocol.writeRequest(out, Arrays.asList(argv));
                return SandboxProtocol.readResponse(in);
            } catch (SandboxProtocol.SandboxFailure e) {
                throw new ContainerException(e.getMessage());
            } catch (IOException e) {
                throw new ContainerException("Sandbox.exec(" + String.join(" ", argv) + ") failed: the channel to the parent JVM broke: " + e.getMessage(), e);
            }
        }
    }
}
