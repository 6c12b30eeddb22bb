package io.alicecontainer.clone3;

/**
 * How a process ended: with an exit code, or killed by a signal.
 *
 * @param code   the exit code, or {@code 128 + signal} when killed (as shells report it)
 * @param signal the terminating signal, 0 when the process exited
 * @param coreDumped whether the kernel dumped core
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {
    public static final int SIGKILL = 9;

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0, false);
    }

    public static ExitStatus killed(int signal, boolean coreDumped) {
        return new ExitStatus(128 + signal, signal, coreDumped);
    }

    public boolean wasSignalled() {
        return signal != 0;
    }

    @Override
    public String toString() {
        return signal == 0 ? "exit code " + code : "killed by signal " + signal + (coreDumped ? " (core dumped)" : "");
    }
}
