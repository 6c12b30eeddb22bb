package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSession;

/**
 * The child agent's run, in this JVM (no container: what is checked is which launcher session runs
 * the test). A pooled child opens its session during the boot; a request whose system properties
 * the launcher would have read at the session's opening gets a session opened after them.
 */
class ForkedTestAgentTests {
    private static final String ID = "[engine:junit-jupiter]/[class:" + Fixture.class.getName() + "]/[method:passes()]";
    private static final Map<String, String> PARAMS = Map.of("junit.jupiter.extensions.autodetection.enabled", "false");

    @Test
    @DisplayName("a test runs in the launcher session the child opened during its boot, and its messages reach the parent")
    void runsInTheSessionOpenedAhead() throws IOException {
        LauncherSession ahead = ForkedTestAgent.openAhead();
        assertThat(ahead).as("no LauncherSessionListener or LauncherInterceptor on this class path").isNotNull();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        RunResult result = ForkedTestAgent.run(new RunRequest(List.of(ID), PARAMS, Map.of()), ahead, new ParentLink(acks(8), sent));
        assertThat(result.error()).isNull();
        assertThat(result.nodes()).anyMatch(n -> n.uniqueId().equals(ID) && n.status().equals("SUCCESSFUL"));
        // started and finished, for the class and for the test
        assertThat(frames(sent.toByteArray())).containsExactly(ChildChannel.STARTED, ChildChannel.STARTED, ChildChannel.FINISHED,
                ChildChannel.FINISHED);
    }

    @Test
    @DisplayName("a request with junit.* system properties runs in a session opened after they are set")
    void junitPropertiesGetANewSession() throws IOException {
        String key = "junit.alice.forked.agent.test";
        RunRequest request = new RunRequest(List.of(ID), PARAMS, Map.of(key, "set"));
        assertThat(ForkedTestAgent.fits(request)).isFalse();
        assertThat(ForkedTestAgent.fits(new RunRequest(List.of(ID), PARAMS, Map.of("user.flag", "set")))).isTrue();
        LauncherSession ahead = ForkedTestAgent.openAhead();
        try {
            RunResult result = ForkedTestAgent.run(request, ahead, new ParentLink(acks(8), new ByteArrayOutputStream()));
            assertThat(result.nodes()).anyMatch(n -> n.uniqueId().equals(ID) && n.status().equals("SUCCESSFUL"));
            assertThat(System.getProperty(key)).isEqualTo("set");
        } finally {
            System.clearProperty(key);
        }
    }

    private static ByteArrayInputStream acks(int n) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) ChildChannel.write(bytes, ChildChannel.ACK, new byte[0]);
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static List<Byte> frames(byte[] bytes) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        List<Byte> types = new java.util.ArrayList<>();
        ChildChannel.Frame f;
        while ((f = ChildChannel.read(in, ChildChannel.MAX_FRAME)) != null) types.add(f.type());
        return types;
    }

    /** Run by the tests above through the agent; not @Isolated, so it runs here. */
    static final class Fixture {
        @Test
        void passes() {
        }
    }
}
