package io.alicecontainer.cgroup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import io.alicecontainer.internal.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The device cgroup of cgroup v2: a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program attached to the
 * container's cgroup (Documentation/admin-guide/cgroup-v2.rst, "Device controller"), built from
 * the same rules as the v1 {@code devices.allow} lines, as runc's {@code devicefilter} does. It
 * returns 1 (allow) for a request matching a rule and 0 (the kernel answers EPERM) otherwise.
 * Programs are loaded once per rule list and kept open (a few lists at most: the default one and
 * those with device binds), so that a container costs one {@code BPF_PROG_ATTACH}.
 */
final class DeviceFilter {
    private static final Logger LOG = Logger.getLogger(DeviceFilter.class.getName());
    // uapi/asm-generic/unistd.h, arch/x86/entry/syscalls/syscall_64.tbl
    private static final long SYS_BPF = System.getProperty("os.arch").contains("aarch64") ? 280 : 321;
    // uapi/linux/bpf.h
    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6;
    private static final int BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2;
    private static final int BPF_DEVCG_ACC_MKNOD = 1, BPF_DEVCG_ACC_READ = 2, BPF_DEVCG_ACC_WRITE = 4;
    private static final int CACHED = 8;

    private static final Map<List<String>, Integer> PROGRAMS = new ConcurrentHashMap<>();
    private static volatile String unavailable;
    private static final java.util.concurrent.atomic.AtomicBoolean ATTACH_WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    private DeviceFilter() {
    }

    /** Attaches the program of rules to the cgroup open as cgroupFd; false (logged once) where the kernel refuses it. */
    static boolean attach(int cgroupFd, List<String> rules) {
        if (unavailable != null) return false;
        int prog;
        boolean keep;
        Integer cached = PROGRAMS.get(rules);
        if (cached != null) {
            prog = cached;
            keep = true;
        } else {
            prog = load(program(rules));
            if (prog < 0) return false;
            keep = PROGRAMS.size() < CACHED && PROGRAMS.putIfAbsent(List.copyOf(rules), prog) == null;
        }
        try {
            Pointer attr = Memory.allocateDirect(Native.runtime(), 20, true);
            attr.putInt(0, cgroupFd);            // target_fd
            attr.putInt(4, prog);                // attach_bpf_fd
            attr.putInt(8, BPF_CGROUP_DEVICE);   // attach_type; attach_flags 0: the only program of this group
            long r = Native.libc().syscall(SYS_BPF, BPF_PROG_ATTACH, attr.address(), 20, 0, 0);
            int errno = Native.errno();
            if (r < 0) {
                // e.g. EPERM below an ancestor's device program attached without BPF_F_ALLOW_MULTI
                // (a container manager's): its rules hold for us too, ours cannot be added.
                if (ATTACH_WARNED.compareAndSet(false, true)) {
                    LOG.warning(() -> "no device cgroup program of our own for containers: bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE) failed: "
                            + io.alicecontainer.internal.Errno.describe(errno) + " (an ancestor's device program may forbid others)");
                }
                return false;
            }
            return true;
        } finally {
            if (!keep) Native.closeQuietly(prog);
        }
    }

    /** Why no program can be loaded here, or null (so far). */
    static String unavailable() {
        return unavailable;
    }

    private static int load(byte[] insns) {
        Pointer code = Memory.allocateDirect(Native.runtime(), insns.length, true);
        code.put(0, insns, 0, insns.length);
        byte[] gpl = "GPL\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Pointer license = Memory.allocateDirect(Native.runtime(), gpl.length, true);
        license.put(0, gpl, 0, gpl.length);
        Pointer attr = Memory.allocateDirect(Native.runtime(), 48, true);
        attr.putInt(0, BPF_PROG_TYPE_CGROUP_DEVICE);   // prog_type
        attr.putInt(4, insns.length / 8);              // insn_cnt
        attr.putLong(8, code.address());               // insns
        attr.putLong(16, license.address());           // license
        long fd = Native.libc().syscall(SYS_BPF, BPF_PROG_LOAD, attr.address(), 48, 0, 0);
        int errno = Native.errno();
        if (fd < 0) {
            unavailable = "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE) failed: " + io.alicecontainer.internal.Errno.describe(errno);
            LOG.warning(() -> "no device cgroup for containers: " + unavailable + " (a kernel without CONFIG_CGROUP_BPF, or no CAP_BPF)");
            return -1;
        }
        // keep the buffers reachable until the call returned
        java.lang.ref.Reference.reachabilityFence(code);
        java.lang.ref.Reference.reachabilityFence(license);
        return (int) fd;
    }

    /**
     * The program: r2 = type, r3 = access, r4 = major, r5 = minor from {@code struct
     * bpf_cgroup_dev_ctx} (access_type = access << 16 | type, major, minor); per rule, skip to the
     * next unless type, major and minor match and no access outside the rule's is asked; allow.
     */
    static byte[] program(List<String> rules) {
        ByteBuffer b = ByteBuffer.allocate(8 * (6 + 9 * rules.size() + 2)).order(ByteOrder.LITTLE_ENDIAN);
        insn(b, 0x61, 2, 1, 0, 0);        // r2 = *(u32 *)(r1 + 0)    access_type
        insn(b, 0xbf, 3, 2, 0, 0);        // r3 = r2
        insn(b, 0x77, 3, 0, 0, 16);       // r3 >>= 16                access
        insn(b, 0x57, 2, 0, 0, 0xffff);   // r2 &= 0xffff             type
        insn(b, 0x61, 4, 1, 4, 0);        // r4 = *(u32 *)(r1 + 4)    major
        insn(b, 0x61, 5, 1, 8, 0);        // r5 = *(u32 *)(r1 + 8)    minor
        for (String rule : rules) {
            String[] f = rule.split("[ :]");  // "c 1:3 rwm" → c, 1, 3, rwm
            if (f.length != 4 || !(f[0].equals("c") || f[0].equals("b"))) throw new IllegalArgumentException("not a device rule: `" + rule + "`");
            int type = f[0].equals("c") ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
            int access = (f[3].contains("m") ? BPF_DEVCG_ACC_MKNOD : 0) | (f[3].contains("r") ? BPF_DEVCG_ACC_READ : 0)
                    | (f[3].contains("w") ? BPF_DEVCG_ACC_WRITE : 0);
            boolean anyMajor = f[1].equals("*"), anyMinor = f[2].equals("*");
            int len = 1 + (anyMajor ? 0 : 1) + (anyMinor ? 0 : 1) + 3 + 2;   // this rule's instructions
            int left = len;
            insn(b, 0x55, 2, 0, --left, type);                                 // if r2 != type goto next
            if (!anyMajor) insn(b, 0x55, 4, 0, --left, Integer.parseInt(f[1]));   // if r4 != major goto next
            if (!anyMinor) insn(b, 0x55, 5, 0, --left, Integer.parseInt(f[2]));   // if r5 != minor goto next
            insn(b, 0xbf, 6, 3, 0, 0);                                          // r6 = r3
            left--;
            insn(b, 0x57, 6, 0, 0, ~access & 7);                                // r6 &= ~allowed
            left--;
            insn(b, 0x55, 6, 0, --left, 0);                                     // if r6 != 0 goto next
            insn(b, 0xb7, 0, 0, 0, 1);                                          // r0 = 1
            insn(b, 0x95, 0, 0, 0, 0);                                          // exit
        }
        insn(b, 0xb7, 0, 0, 0, 0);        // r0 = 0
        insn(b, 0x95, 0, 0, 0, 0);        // exit
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** struct bpf_insn: u8 code, u8 dst_reg:4 src_reg:4 (little-endian bit fields), s16 off, s32 imm. */
    private static void insn(ByteBuffer b, int code, int dst, int src, int off, int imm) {
        b.put((byte) code).put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm);
    }
}
