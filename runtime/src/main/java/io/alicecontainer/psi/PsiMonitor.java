package io.alicecontainer.psi;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.SyscallException;
import jnr.ffi.Pointer;

/**
 * Waits on many PSI triggers with one epoll instance (psi.rst, "Userspace monitor usage example":
 * open the pressure file read-write and non-blocking, write the trigger, wait for {@code EPOLLPRI}).
 *
 * <pre>{@code
 * try (PsiMonitor monitor = PsiMonitor.open()) {
 *     PsiRegistration r = monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000").in(cgroup));
 *     System.out.println(r.effectiveTrigger() + ": " + r.reason());
 *     for (PressureEvent e : monitor.poll(Duration.ofSeconds(5))) ...
 * }
 * }</pre>
 *
 * <p>Either call {@link #poll(Duration)} from one thread at a time, or {@link #start(PsiListener)}
 * a daemon thread that passes events to a listener until {@link #close()}. Closing wakes a waiting
 * thread through an eventfd and closes every trigger.
 *
 * <p><b>Windows.</b> Without {@code CAP_SYS_RESOURCE} the kernel refuses windows that are not
 * multiples of 2 s ({@code EINVAL}). {@link #register} then retries with the nearest accepted window
 * (2, 4, 6, 8 or 10 s; a tie goes to the longer one) and the threshold scaled by the same factor,
 * and the returned {@link PsiRegistration} says so. Such triggers are evaluated every ~2 s, with the
 * averages: an event comes up to ~2 s after the stall crossed the threshold.
 *
 * <p><b>Stale signals.</b> The first evaluation of an unprivileged trigger can count stall from
 * before the trigger existed (a kernel quirk, see {@link PsiRegistration#ignoredStaleEvents()}): a
 * cgroup that stalled once, minutes ago, fires a new trigger within ~2 s. The monitor reads the
 * pressure file's total at registration and at each signal, and drops (and counts) a signal with
 * less stall since registration than the threshold: no genuine event can have that.
 *
 * <p><b>Cgroups that go away.</b> Removing a cgroup ends its triggers: the kernel reports
 * {@code EPOLLERR}, and the monitor drops the trigger, closes its file and reports a {@link
 * TriggerDropped} ({@link #dropped()}, {@link PsiListener#onDropped}). Closing the triggers (or the
 * monitor) before destroying the cgroup avoids that.
 */
public final class PsiMonitor implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(PsiMonitor.class.getName());
    private static final int MAX_EVENTS = 64;
    private static final long WAKE_ID = 0;

    private final int epfd;
    private final int wakeFd;
    private final Object state = new Object();
    private final ReentrantLock waiting = new ReentrantLock();
    private final Map<Long, PsiRegistration> registrations = new LinkedHashMap<>();
    private final List<TriggerDropped> dropped = new ArrayList<>();
    private final Pointer buffer = Epoll.buffer(MAX_EVENTS);
    private long nextId = 1;
    private volatile boolean closed;
    private Thread background;

    private PsiMonitor(int epfd, int wakeFd) {
        this.epfd = epfd;
        this.wakeFd = wakeFd;
    }

    /** A monitor without triggers: an epoll instance and an eventfd to wake it. */
    public static PsiMonitor open() {
        int ep = Epoll.create();
        try {
            int wake = Epoll.eventfd();
            try {
                Epoll.add(ep, wake, Epoll.EPOLLIN, WAKE_ID);
            } catch (RuntimeException e) {
                Native.closeQuietly(wake);
                throw e;
            }
            return new PsiMonitor(ep, wake);
        } catch (RuntimeException e) {
            Native.closeQuietly(ep);
            throw e;
        }
    }

    /**
     * Opens the trigger's pressure file, writes the trigger and adds it to the epoll set. A window
     * the kernel refuses for lack of {@code CAP_SYS_RESOURCE} is adapted (see the class comment);
     * the registration tells the effective trigger and the reason.
     *
     * @throws PsiException when the file is missing (no such cgroup, PSI off) or the kernel
     *                      refuses the trigger, also after adaptation
     */
    public PsiRegistration register(PsiTrigger trigger) {
        Objects.requireNonNull(trigger, "trigger");
        synchronized (state) {
            checkOpen("register a trigger with");
            Path file = trigger.pressureFile();
            int fd;
            try {
                fd = Native.open(file.toString(), Native.O_RDWR | Native.O_NONBLOCK);
            } catch (SyscallException e) {
                throw new PsiException("cannot open " + file + " for PSI trigger `" + trigger.line() + "`: "
                        + Errno.describe(e.errno()) + PsiFiles.openHint(trigger, e.errno()), e);
            }
            try {
                PsiTrigger effective = trigger;
                String reason;
                // Read before the write: the kernel's window starts no earlier, so a genuine signal
                // always shows at least the threshold of stall since this value.
                long baseline = PsiTotals.read(file, trigger.kind());
                int err = PsiFiles.writeTrigger(fd, trigger.line());
                if (err == 0) {
                    reason = PsiWindows.acceptedReason();
                } else if ((err == Errno.EINVAL || err == Errno.EPERM) && !PsiWindows.acceptedUnprivileged(trigger.window())) {
                    effective = PsiWindows.adapt(trigger);
                    int err2 = PsiFiles.writeTrigger(fd, effective.line());
                    if (err2 != 0) {
                        throw new PsiException("the kernel refused PSI trigger `" + trigger.line() + "` on " + file + " ("
                                + Errno.describe(err) + ") and its adaptation to a 2 s multiple, `" + effective.line() + "`, too ("
                                + Errno.describe(err2) + ")" + PsiFiles.writeHint(err2));
                    }
                    reason = PsiWindows.adaptedReason(trigger, effective, err);
                } else {
                    throw new PsiException("the kernel refused PSI trigger `" + trigger.line() + "` on " + file + ": "
                            + Errno.describe(err) + PsiFiles.writeHint(err));
                }
                long id = nextId++;
                Epoll.add(epfd, fd, Epoll.EPOLLPRI, id);
                PsiRegistration r = new PsiRegistration(this, id, fd, trigger, effective, reason, baseline);
                registrations.put(id, r);
                return r;
            } catch (RuntimeException e) {
                Native.closeQuietly(fd);
                throw e;
            }
        }
    }

    /** The active triggers, in registration order. */
    public List<PsiRegistration> registrations() {
        synchronized (state) {
            return List.copyOf(registrations.values());
        }
    }

    /** Every trigger the kernel ended so far (its cgroup was removed), oldest first. */
    public List<TriggerDropped> dropped() {
        synchronized (state) {
            return List.copyOf(dropped);
        }
    }

    /**
     * Waits at most {@code timeout} for triggers to fire and returns their events (several at
     * once when several fired). Returns early, possibly with no event, when a trigger was dropped
     * ({@link #dropped()}) or the monitor was closed; an empty list after the timeout.
     *
     * @throws IllegalStateException when the monitor is closed or runs in the background
     */
    public List<PressureEvent> poll(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        synchronized (state) {
            checkOpen("poll");
            if (background != null) {
                throw new IllegalStateException("the PSI monitor runs in the background (start): poll would take its events");
            }
        }
        long ms = Math.min(Integer.MAX_VALUE, (timeout.toNanos() + 999_999) / 1_000_000);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PressureEvent> events = new ArrayList<>();
        List<TriggerDropped> drops = new ArrayList<>();
        for (;;) {
            if (!awaitOnce((int) ms, events, drops) || !events.isEmpty() || !drops.isEmpty()) return events;
            long left = deadline - System.nanoTime();
            if (left <= 0) return events;
            ms = Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
        }
    }

    /**
     * Starts a daemon thread ({@code alice-psi-monitor}) that passes every event and dropped
     * trigger to {@code listener} until {@link #close()}. Triggers may be registered before and
     * after.
     *
     * @throws IllegalStateException when the monitor is closed or already started
     */
    public void start(PsiListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (state) {
            checkOpen("start");
            if (background != null) throw new IllegalStateException("the PSI monitor was started already");
            Thread t = new Thread(() -> run(listener), "alice-psi-monitor");
            t.setDaemon(true);
            background = t;
            t.start();
        }
    }

    private void run(PsiListener listener) {
        List<PressureEvent> events = new ArrayList<>();
        List<TriggerDropped> drops = new ArrayList<>();
        while (!closed) {
            events.clear();
            drops.clear();
            try {
                if (!awaitOnce(-1, events, drops)) return;
            } catch (RuntimeException e) {
                listener.onError(new PsiException("the PSI monitor stopped: " + e.getMessage(), e));
                return;
            }
            for (TriggerDropped d : drops) {
                try {
                    listener.onDropped(d);
                } catch (RuntimeException e) {
                    listener.onError(e);
                }
            }
            for (PressureEvent e : events) {
                try {
                    listener.onPressure(e);
                } catch (RuntimeException ex) {
                    listener.onError(ex);
                }
            }
        }
    }

    /** One epoll_wait; false when the monitor is closed. */
    private boolean awaitOnce(int timeoutMs, List<PressureEvent> events, List<TriggerDropped> drops) {
        waiting.lock();
        try {
            if (closed) return false;
            int n = Epoll.await(epfd, buffer, MAX_EVENTS, timeoutMs);
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                long id = Epoll.data(buffer, i);
                int ev = Epoll.events(buffer, i);
                if (id == WAKE_ID) {
                    Epoll.drain(wakeFd);
                    continue;
                }
                synchronized (state) {
                    if (closed) return false;
                    PsiRegistration r = registrations.get(id);
                    if (r == null) continue;   // closed by another thread since the wait returned
                    if ((ev & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0) {
                        String why = PsiFiles.goneReason(r, ev);
                        remove(r, why);
                        TriggerDropped d = new TriggerDropped(r, why, now);
                        dropped.add(d);
                        drops.add(d);
                    } else if ((ev & Epoll.EPOLLPRI) != 0) {
                        if (PsiFiles.isStale(r)) {
                            r.ignoredStale();
                            LOG.fine(() -> "ignored a stale signal of " + r + ": less stall than its threshold since it was written");
                        } else {
                            events.add(PressureEvent.of(r, now));
                        }
                    }
                }
            }
            return !closed;
        } finally {
            waiting.unlock();
        }
    }

    void unregister(PsiRegistration r, String why) {
        synchronized (state) {
            if (registrations.get(r.id()) != r) return;
            remove(r, why);
        }
    }

    private void remove(PsiRegistration r, String why) {
        registrations.remove(r.id());
        r.end(why);
        try {
            Epoll.remove(epfd, r.fd);
        } finally {
            Native.closeQuietly(r.fd);
        }
    }

    /**
     * Stops the background thread (waking it through the eventfd), closes every trigger, the
     * eventfd and the epoll instance. Idempotent. A thread blocked in {@link #poll} returns.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (state) {
            if (closed) return;
            closed = true;
            t = background;
        }
        Epoll.signal(wakeFd);
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        waiting.lock();   // a thread in poll() leaves epoll_wait through the eventfd; then fds may go
        try {
            synchronized (state) {
                for (PsiRegistration r : List.copyOf(registrations.values())) {
                    registrations.remove(r.id());
                    r.end("the monitor was closed");
                    Native.closeQuietly(r.fd);
                }
            }
            Native.closeQuietly(wakeFd);
            Native.closeQuietly(epfd);
        } finally {
            waiting.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException("cannot " + what + " a closed PSI monitor");
    }
}
