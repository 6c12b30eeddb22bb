package io.alicecontainer;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command for {@link Container#exec(Command)} or {@link Container#launch(Command)}, with what
 * {@link Container#exec(String...)} does not need: extra environment, its own working directory
 * and timeout, live copies of its output, and file descriptors passed to it.
 *
 * <pre>{@code
 * ExecResult r = container.exec(Command.builder("make", "test")
 *         .workdir(Path.of("/src"))
 *         .stdout(System.out)          // live, besides the capture
 *         .timeout(Duration.ofMinutes(5))
 *         .build());
 * }</pre>
 */
public final class Command {
    private final List<String> argv;
    private final Map<String, String> env;
    private final Path workdir;
    private final Duration timeout;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final List<Integer> passFds;
    private final List<Integer> readFds;
    private final List<OutputStream> readSinks;

    private Command(Builder b) {
        argv = List.copyOf(b.argv);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        workdir = b.workdir;
        timeout = b.timeout;
        stdout = b.stdout;
        stderr = b.stderr;
        passFds = List.copyOf(b.passFds);
        readFds = List.copyOf(b.readFds);
        readSinks = List.copyOf(b.readSinks);
    }

    public static Builder builder(String... argv) {
        return builder(List.of(argv));
    }

    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    public List<String> argv() {
        return argv;
    }

    /** Variables set on top of the container's environment. */
    public Map<String, String> env() {
        return env;
    }

    public Optional<Path> workdir() {
        return Optional.ofNullable(workdir);
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public Optional<OutputStream> stdout() {
        return Optional.ofNullable(stdout);
    }

    public Optional<OutputStream> stderr() {
        return Optional.ofNullable(stderr);
    }

    /** fds of the caller that the process gets as 3, 4, ... in this order. */
    public List<Integer> passFds() {
        return passFds;
    }

    List<Integer> readFds() {
        return readFds;
    }

    List<OutputStream> readSinks() {
        return readSinks;
    }

    /** Collects a command. */
    public static final class Builder {
        private final List<String> argv;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path workdir;
        private Duration timeout;
        private OutputStream stdout;
        private OutputStream stderr;
        private final List<Integer> passFds = new ArrayList<>();
        private final List<Integer> readFds = new ArrayList<>();
        private final List<OutputStream> readSinks = new ArrayList<>();

        private Builder(List<String> argv) {
            if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("a command needs a program, got none");
            for (String a : argv) Objects.requireNonNull(a, "argv element");
            this.argv = List.copyOf(argv);
        }

        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder workdir(Path dir) {
            if (dir == null || !dir.isAbsolute()) throw new IllegalArgumentException("workdir must be an absolute path, was " + dir);
            this.workdir = dir;
            return this;
        }

        /** Kills the whole container when the command runs longer (instead of the configured timeout). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Also copies standard output to sink as it arrives (the capture in the result stays). */
        public Builder stdout(OutputStream sink) {
            this.stdout = sink;
            return this;
        }

        public Builder stderr(OutputStream sink) {
            this.stderr = sink;
            return this;
        }

        /** Passes one of the caller's fds to the process: the first as fd 3, the next as 4, ... */
        public Builder passFd(int fd) {
            if (fd < 0) throw new IllegalArgumentException("not a file descriptor: " + fd);
            passFds.add(fd);
            return this;
        }

        /**
         * While waiting for the process, also reads fd (a pipe's read end, which the wait closes)
         * into sink until its end: a channel the process writes to besides stdout and stderr.
         */
        public Builder alsoRead(int fd, OutputStream sink) {
            if (fd < 0) throw new IllegalArgumentException("not a file descriptor: " + fd);
            readFds.add(fd);
            readSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        public Command build() {
            return new Command(this);
        }
    }
}
