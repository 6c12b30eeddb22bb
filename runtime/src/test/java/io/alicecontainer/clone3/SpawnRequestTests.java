package io.alicecontainer.clone3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The wire form decoded here the way {@code alice_spawn.c}'s {@code decode()} does: header
 * {@code u32 magic, u32 version}, then records {@code u32 tag, u32 len, payload}, native order.
 */
@DisplayName("SpawnRequest encodes what alice_spawn.c decodes")
class SpawnRequestTests {

    private static final int MAGIC = 0x50534c41;
    private static final int TAG_CLONE_FLAGS = 1;
    private static final int TAG_CGROUP_FD = 2;
    private static final int TAG_ARG = 3;
    private static final int TAG_ENV = 4;
    private static final int TAG_CWD = 5;
    private static final int TAG_HOSTNAME = 6;
    private static final int TAG_STDIO = 7;
    private static final int TAG_KEEP_FD = 8;
    private static final int TAG_MOUNT = 9;
    private static final int TAG_CGROUP_PROCS = 10;
    private static final int TAG_UID_MAP = 11;
    private static final int TAG_GID_MAP = 12;
    private static final int TAG_OPTIONS = 13;
    private static final int TAG_EXE = 14;
    private static final int TAG_RUN_AS = 15;

    private record Rec(int tag, byte[] payload) {
        ByteBuffer buf() {
            return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        }

        /** As str_at(): the payload must end in its only NUL. */
        String string() {
            assertThat(payload).isNotEmpty();
            assertThat(payload[payload.length - 1]).as("terminating NUL").isZero();
            String s = new String(payload, 0, payload.length - 1, StandardCharsets.UTF_8);
            assertThat(s).doesNotContain("\0");
            return s;
        }
    }

    private static List<Rec> decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertThat(b.getInt()).as("magic").isEqualTo(MAGIC);
        assertThat(b.getInt()).as("version").isEqualTo(2);
        List<Rec> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            int tag = b.getInt();
            int len = b.getInt();
            assertThat(len).as("length of record %d", tag).isBetween(0, b.remaining());
            byte[] p = new byte[len];
            b.get(p);
            out.add(new Rec(tag, p));
        }
        assertThat(b.remaining()).as("trailing bytes").isZero();
        return out;
    }

    private static List<String> strings(List<Rec> recs, int tag) {
        return recs.stream().filter(r -> r.tag() == tag).map(Rec::string).toList();
    }

    private static Rec only(List<Rec> recs, int tag) {
        List<Rec> found = recs.stream().filter(r -> r.tag() == tag).toList();
        assertThat(found).as("records with tag %d", tag).hasSize(1);
        return found.get(0);
    }

    /** decode_mount(): i32 op, u32 pad, u64 flags, four NUL-terminated strings; "" is absent. */
    private record DecodedMount(int op, int pad, long flags, String a, String b, String c, String d) {
        static DecodedMount of(Rec r) {
            ByteBuffer buf = r.buf();
            int op = buf.getInt();
            int pad = buf.getInt();
            long flags = buf.getLong();
            String[] s = new String[4];
            for (int i = 0; i < 4; i++) {
                int start = buf.position();
                while (buf.get() != 0) {
                    // to the NUL
                }
                int len = buf.position() - start - 1;
                s[i] = len == 0 ? null : new String(r.payload(), start, len, StandardCharsets.UTF_8);
            }
            assertThat(buf.remaining()).as("bytes after the fourth string").isZero();
            return new DecodedMount(op, pad, flags, s[0], s[1], s[2], s[3]);
        }
    }

    @Test
    @DisplayName("the header is magic ALSP and version 2 in native byte order")
    void shouldStartWithTheHeader() {
        // when
        byte[] bytes = SpawnRequest.builder().argv(List.of("/bin/true")).build().encode();

        // then
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(0x50534c41);
        assertThat(b.getInt(4)).isEqualTo(2);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII))
                .isEqualTo(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "ALSP" : "PSLA");
    }

    @Test
    @DisplayName("argv and env are NUL-terminated string records, in order, with tags 3 and 4")
    void shouldEncodeArgvAndEnv() {
        // given
        SpawnRequest request = SpawnRequest.builder()
                .argv(List.of("/bin/sh", "-c", "echo hé", ""))
                .env(List.of("PATH=/usr/bin", "EMPTY="))
                .workdir("/work")
                .hostname("box")
                .build();

        // when
        List<Rec> recs = decode(request.encode());

        // then
        assertThat(strings(recs, TAG_ARG)).containsExactly("/bin/sh", "-c", "echo hé", "");
        assertThat(recs.stream().filter(r -> r.tag() == TAG_ARG).map(r -> r.payload().length))
                .containsExactly(8, 3, 9, 1);
        assertThat(strings(recs, TAG_ENV)).containsExactly("PATH=/usr/bin", "EMPTY=");
        assertThat(strings(recs, TAG_CWD)).containsExactly("/work");
        assertThat(strings(recs, TAG_HOSTNAME)).containsExactly("box");
        assertThat(strings(recs, TAG_EXE)).isEmpty();
    }

    @Test
    @DisplayName("fixed-size records have the lengths the C decoder insists on")
    void shouldEncodeFixedSizeRecords() {
        // given
        SpawnRequest request = SpawnRequest.builder()
                .argv(List.of("x"))
                .cloneFlags(CloneFlags.CLONE_NEWPID | CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWCGROUP)
                .cgroupFd(42)
                .stdio(5, 6, 7)
                .keepFd(9)
                .keepFd(10)
                .runAs(1000, 1001)
                .idMaps("0 1000 1\n", "0 1001 1\n")
                .joinCgroup("/sys/fs/cgroup/memory/alice/x/cgroup.procs")
                .build();

        // when
        List<Rec> recs = decode(request.encode());

        // then: CLONE_NEWCGROUP travels as an option, unshared in the child after the cgroups are joined
        Rec flags = only(recs, TAG_CLONE_FLAGS);
        assertThat(flags.payload()).hasSize(8);
        assertThat(flags.buf().getLong()).isEqualTo(0x20000000L | 0x00020000L);
        Rec options = only(recs, TAG_OPTIONS);
        assertThat(options.payload()).hasSize(4);
        assertThat(options.buf().getInt()).isEqualTo(SpawnRequest.OPT_NEW_CGROUPNS | SpawnRequest.OPT_PDEATHSIG
                | SpawnRequest.OPT_SETSID);
        assertThat(only(recs, TAG_CGROUP_FD).buf().getInt()).isEqualTo(42);
        ByteBuffer stdio = only(recs, TAG_STDIO).buf();
        assertThat(stdio.capacity()).isEqualTo(12);
        assertThat(new int[] {stdio.getInt(), stdio.getInt(), stdio.getInt()}).containsExactly(5, 6, 7);
        assertThat(recs.stream().filter(r -> r.tag() == TAG_KEEP_FD).map(r -> r.buf().getInt())).containsExactly(9, 10);
        ByteBuffer runAs = only(recs, TAG_RUN_AS).buf();
        assertThat(runAs.capacity()).isEqualTo(8);
        assertThat(new int[] {runAs.getInt(), runAs.getInt()}).containsExactly(1000, 1001);
        assertThat(strings(recs, TAG_UID_MAP)).containsExactly("0 1000 1\n");
        assertThat(strings(recs, TAG_GID_MAP)).containsExactly("0 1001 1\n");
        assertThat(strings(recs, TAG_CGROUP_PROCS)).containsExactly("/sys/fs/cgroup/memory/alice/x/cgroup.procs");
    }

    @Test
    @DisplayName("defaults: no cgroup fd record, stdio -1 (for /dev/null), pdeathsig and setsid on")
    void shouldEncodeDefaults() {
        // when
        List<Rec> recs = decode(SpawnRequest.builder().argv(List.of("x")).build().encode());

        // then
        assertThat(recs).noneMatch(r -> r.tag() == TAG_CGROUP_FD || r.tag() == TAG_RUN_AS || r.tag() == TAG_UID_MAP);
        ByteBuffer stdio = only(recs, TAG_STDIO).buf();
        assertThat(new int[] {stdio.getInt(), stdio.getInt(), stdio.getInt()}).containsExactly(-1, -1, -1);
        assertThat(only(recs, TAG_OPTIONS).buf().getInt()).isEqualTo(SpawnRequest.OPT_PDEATHSIG | SpawnRequest.OPT_SETSID);
        assertThat(only(recs, TAG_CLONE_FLAGS).buf().getLong()).isZero();
    }

    @Test
    @DisplayName("options toggle their bits")
    void shouldToggleOptions() {
        // when
        SpawnRequest request = SpawnRequest.builder().argv(List.of("x")).loopbackUp(true).noNewPrivileges(true)
                .dieWithParent(false).build();

        // then
        assertThat(only(decode(request.encode()), TAG_OPTIONS).buf().getInt())
                .isEqualTo(SpawnRequest.OPT_LOOPBACK_UP | SpawnRequest.OPT_NO_NEW_PRIVS | SpawnRequest.OPT_SETSID);
    }

    @Test
    @DisplayName("an executable other than argv[0] is its own record; argv[0] is kept")
    void shouldEncodeExecutable() {
        // when
        SpawnRequest request = SpawnRequest.builder().argv(List.of("busybox-sh", "-c", "true")).executable("busybox").build();

        // then
        List<Rec> recs = decode(request.encode());
        assertThat(strings(recs, TAG_EXE)).containsExactly("busybox");
        assertThat(strings(recs, TAG_ARG)).startsWith("busybox-sh");
        assertThat(request.executable()).isEqualTo("busybox");
    }

    @Test
    @DisplayName("a mount record is op, pad, flags and four strings, an absent one as a lone NUL")
    void shouldEncodeMountRecords() {
        // given
        MountOp proc = MountOp.mount("proc", "/newroot/proc", "proc", MountOp.MS_NOSUID | MountOp.MS_NODEV, null);
        MountOp bind = MountOp.bindDirectory("/oldroot/usr", "/newroot/usr", true);
        MountOp pivot = MountOp.pivotRoot("/newroot");
        SpawnRequest request = SpawnRequest.builder().argv(List.of("x")).mounts(List.of(proc, bind, pivot)).build();

        // when
        List<Rec> recs = decode(request.encode()).stream().filter(r -> r.tag() == TAG_MOUNT).toList();

        // then
        assertThat(recs).hasSize(3);
        Rec first = recs.get(0);
        assertThat(first.payload()).hasSize(16 + "proc\0/newroot/proc\0proc\0\0".length());
        assertThat(DecodedMount.of(first))
                .isEqualTo(new DecodedMount(1, 0, 6, "proc", "/newroot/proc", "proc", null));
        // BIND_REC | BIND_RDONLY | BIND_MKDIR
        assertThat(DecodedMount.of(recs.get(1)))
                .isEqualTo(new DecodedMount(2, 0, 1 | 2 | 4, "/oldroot/usr", "/newroot/usr", null, null));
        assertThat(recs.get(2).payload()).hasSize(16 + "/newroot".length() + 1 + 3);
        assertThat(DecodedMount.of(recs.get(2))).isEqualTo(new DecodedMount(6, 0, 0, "/newroot", null, null, null));
    }

    @Test
    @DisplayName("every MountOp kind has the OP_* code of alice_spawn.c")
    void shouldUseTheShimsOpCodes() {
        assertThat(MountOp.Kind.MOUNT.code).isEqualTo(1);
        assertThat(MountOp.Kind.BIND.code).isEqualTo(2);
        assertThat(MountOp.Kind.MKDIR.code).isEqualTo(3);
        assertThat(MountOp.Kind.WRITE_FILE.code).isEqualTo(4);
        assertThat(MountOp.Kind.SYMLINK.code).isEqualTo(5);
        assertThat(MountOp.Kind.PIVOT_ROOT.code).isEqualTo(6);
        assertThat(MountOp.Kind.UMOUNT.code).isEqualTo(7);
        assertThat(MountOp.Kind.CHDIR.code).isEqualTo(8);
        assertThat(MountOp.Kind.MAKE_RPRIVATE.code).isEqualTo(9);
    }

    @Test
    @DisplayName("a NUL inside an argument, an env entry or a mount path is refused before it reaches C")
    void shouldRefuseNul() {
        SpawnRequest arg = SpawnRequest.builder().argv(List.of("echo", "a\0b")).build();
        assertThatIllegalArgumentException().isThrownBy(arg::encode)
                .withMessageContaining("NUL").withMessageContaining("`a\\0b`");

        SpawnRequest env = SpawnRequest.builder().argv(List.of("echo")).env(List.of("X=\0")).build();
        assertThatIllegalArgumentException().isThrownBy(env::encode).withMessageContaining("NUL");

        SpawnRequest mount = SpawnRequest.builder().argv(List.of("echo"))
                .mounts(List.of(MountOp.mkdir("/a\0b", 0755))).build();
        assertThatIllegalArgumentException().isThrownBy(mount::encode).withMessageContaining("NUL");
    }

    @Test
    @DisplayName("an empty argv, or an empty argv[0], is refused")
    void shouldRefuseEmptyArgv() {
        assertThatIllegalArgumentException().isThrownBy(() -> SpawnRequest.builder().build())
                .withMessageContaining("argv must not be empty");
        assertThatIllegalArgumentException().isThrownBy(() -> SpawnRequest.builder().argv(List.of()).build())
                .withMessageContaining("argv must not be empty");
        assertThatIllegalArgumentException().isThrownBy(() -> SpawnRequest.builder().argv(List.of("")).build())
                .withMessageContaining("argv[0]");
    }

    @Test
    @DisplayName("more than 64 extra fds are refused")
    void shouldRefuseTooManyFds() {
        SpawnRequest.Builder b = SpawnRequest.builder().argv(List.of("x"));
        for (int fd = 3; fd < 3 + 65; fd++) b.keepFd(fd);
        assertThatIllegalArgumentException().isThrownBy(b::build).withMessageContaining("64").withMessageContaining("65");
    }

    @Test
    @DisplayName("a failed step is described with the request's own values")
    void shouldDescribeSteps() {
        // given
        SpawnRequest request = SpawnRequest.builder().argv(List.of("/bin/nope")).hostname("box").workdir("/w")
                .mounts(List.of(MountOp.pivotRoot("/newroot"))).joinCgroup("/cg/cgroup.procs").build();

        // then
        assertThat(request.describe(SpawnStep.MOUNT, 0)).isEqualTo("pivot_root into /newroot");
        assertThat(request.describe(SpawnStep.MOUNT, 5)).isEqualTo("mount step 5");
        assertThat(request.describe(SpawnStep.EXEC, 0)).isEqualTo("execve of `/bin/nope`");
        assertThat(request.describe(SpawnStep.HOSTNAME, 0)).isEqualTo("sethostname(`box`)");
        assertThat(request.describe(SpawnStep.CGROUP_JOIN, 0)).isEqualTo("joining the v1 cgroup /cg/cgroup.procs");
        assertThat(request.describe(SpawnStep.PARENT_IDMAP, 1)).isEqualTo("writing gid_map");
    }
}
