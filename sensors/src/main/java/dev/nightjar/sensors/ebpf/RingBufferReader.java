package dev.nightjar.sensors.ebpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Polls one or more BPF ring buffers on a single thread and hands each sample to its handler
 * through an upcall. The segment a handler sees is valid only during the call: copy or decode
 * it there. A handler that throws is counted, never propagated: an exception escaping an upcall
 * would abort the JVM.
 */
@SuppressWarnings("restricted") // upcalls and sizing the samples libbpf hands over
public final class RingBufferReader implements AutoCloseable {

    private static final MethodHandle SAMPLE;

    static {
        try {
            SAMPLE = MethodHandles.lookup()
                    .findVirtual(
                            Sample.class,
                            "onSample",
                            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final AtomicLong handlerErrors = new AtomicLong();
    private MemorySegment ring = MemorySegment.NULL;
    private volatile boolean running;
    private Thread thread;

    /** Routes samples from the ring buffer map {@code mapFd} to {@code handler}. Call before start. */
    public synchronized void add(int mapFd, Consumer<MemorySegment> handler) {
        MemorySegment callback =
                Libbpf.LINKER.upcallStub(SAMPLE.bindTo(new Sample(handler, handlerErrors)), Libbpf.SAMPLE_FN, arena);
        if (ring.equals(MemorySegment.NULL)) {
            ring = Libbpf.ringBufferNew(mapFd, callback, arena);
        } else {
            int rc = Libbpf.ringBufferAdd(ring, mapFd, callback);
            if (rc < 0) {
                throw new BpfException("ring_buffer__add", rc);
            }
        }
    }

    public synchronized void start() {
        if (ring.equals(MemorySegment.NULL) || running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("nightjar-ringbuf").start(this::pollLoop);
    }

    /**
     * Waits up to {@code timeoutMillis} for a ring that asks for a wakeup, then drains every ring: the
     * programs submit without waking user space (bpf/src/ringbuf.h), so most events are found by the
     * drain, not by the wait. For callers that poll themselves.
     */
    public synchronized int pollOnce(int timeoutMillis) {
        if (ring.equals(MemorySegment.NULL)) {
            return 0;
        }
        int woken = Libbpf.ringBufferPoll(ring, timeoutMillis);
        int drained = Libbpf.ringBufferConsume(ring);
        return woken < 0 ? woken : drained < 0 ? drained : woken + drained;
    }

    public long handlerErrors() {
        return handlerErrors.get();
    }

    private void pollLoop() {
        while (running) {
            int rc = pollOnce(100);
            if (rc < 0 && rc != -4) { // -EINTR is routine
                handlerErrors.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (!ring.equals(MemorySegment.NULL)) {
                Libbpf.ringBufferFree(ring);
                ring = MemorySegment.NULL;
            }
        }
        arena.close();
    }

    private record Sample(Consumer<MemorySegment> handler, AtomicLong errors) {
        @SuppressWarnings("unused") // called from native code through the upcall stub
        int onSample(MemorySegment context, MemorySegment data, long size) {
            try {
                handler.accept(data.reinterpret(size));
            } catch (Throwable e) {
                long n = errors.incrementAndGet();
                // Handlers count their own decode failures; what gets here (an Error) is said once.
                if (n == 1) {
                    System.err.println(
                            "nightjar-sensor: a ring buffer record of " + size + " bytes failed in its handler: " + e);
                }
            }
            return 0;
        }
    }
}
