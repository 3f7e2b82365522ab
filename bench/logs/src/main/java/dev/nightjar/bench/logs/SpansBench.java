package dev.nightjar.bench.logs;

import static dev.nightjar.bench.logs.Measure.BATCH;
import static dev.nightjar.bench.logs.Measure.END;
import static dev.nightjar.bench.logs.Measure.TENANT;
import static dev.nightjar.bench.logs.Measure.cpuNanos;
import static dev.nightjar.bench.logs.Measure.ms;
import static dev.nightjar.bench.logs.Measure.time;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.storage.lucene.LuceneStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The traces part: spans written by {@code threads} writer threads in batches of ~1,000, then trace by id,
 * RED and list services. Held in memory before timing (the write rate is the store's alone), or streamed:
 * generated while written, keeping only a sample of trace ids, for sizes the heap cannot hold.
 */
final class SpansBench {

    private static final long AVG_TRACE = 9;
    /** About this many trace ids are kept for the lookups. */
    private static final int LOOKUPS = 2000;

    private final Report report;
    private final int spans;
    private final int threads;
    private final int hours;
    private final Path dir;

    private final Generator generator = new Generator(11);
    private final long start;
    private final long step;
    private final long sampleEvery;
    private final long lastHour = Timestamps.toNanos(END.minus(Duration.ofHours(1)));
    private long t;
    private int total;
    private long traces;
    private long inLastHour;
    private final List<TraceId> sample = new ArrayList<>();

    SpansBench(Report report, int spans, int threads, int hours, Path dir) {
        this.report = report;
        this.spans = spans;
        this.threads = threads;
        this.hours = hours;
        this.dir = dir;
        this.start = Timestamps.toNanos(END.minus(Duration.ofHours(hours)));
        this.step = Duration.ofHours(hours).toNanos() / Math.max(1, spans / AVG_TRACE);
        this.sampleEvery = Math.max(1, spans / AVG_TRACE / LOOKUPS);
        this.t = start;
    }

    /** The next batch of whole traces (at least {@link Measure#BATCH} spans), empty when all are made. */
    private List<Span> nextBatch() {
        List<Span> cur = new ArrayList<>(BATCH + 16);
        while (total < spans && cur.size() < BATCH) {
            List<Span> trace = generator.trace(t);
            if (traces++ % sampleEvery == 0) {
                sample.add(trace.getFirst().traceId());
            }
            for (Span s : trace) {
                if (s.startTimeUnixNano() >= lastHour) {
                    inLastHour++;
                }
            }
            t += step;
            cur.addAll(trace);
            total += trace.size();
        }
        return cur;
    }

    /** All spans generated first, then written and timed. */
    void inMemory() throws Exception {
        List<List<Span>> batches = new ArrayList<>();
        for (List<Span> b = nextBatch(); !b.isEmpty(); b = nextBatch()) {
            batches.add(b);
        }
        Path spanDir = dir.resolve("nightjar-spans");
        header("traces");
        try (LuceneStorage store = new LuceneStorage(Measure.config(spanDir))) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            Parallel.run(threads, batches, b -> store.spanWriter().write(TENANT, b));
            long t1 = System.nanoTime();
            store.commit();
            long c1 = cpuNanos();
            store.flush();
            report.line(
                    "| Nightjar span write | **%,.0f spans/s** wall; %,.0f spans per CPU-second |",
                    total / ((t1 - t0) / 1e9), total / ((c1 - c0) / 1e9));
            report.line("| span bytes on disk | %.1f B/span |", (double) Measure.size(spanDir) / total);
            queries(store);
        }
    }

    /** Generated on this thread while {@code threads} writer threads write; only a sample of ids is kept. */
    void streamed() throws Exception {
        Path spanDir = dir.resolve("nightjar-spans-stream");
        BlockingQueue<List<Span>> queue = new ArrayBlockingQueue<>(8);
        try (LuceneStorage store = new LuceneStorage(Measure.config(spanDir))) {
            Exception[] failure = new Exception[1];
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                Thread writer = new Thread(() -> {
                    try {
                        for (List<Span> b = queue.take(); !b.isEmpty(); b = queue.take()) {
                            store.spanWriter().write(TENANT, b);
                        }
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                });
                writers.add(writer);
            }
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            writers.forEach(Thread::start);
            for (List<Span> b = nextBatch(); !b.isEmpty() && failure[0] == null; b = nextBatch()) {
                queue.put(b);
            }
            for (int w = 0; w < threads; w++) {
                queue.put(List.of());
            }
            for (Thread w : writers) {
                w.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            store.commit();
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            store.flush();
            header("traces, streamed");
            report.line(
                    "| generate + write + commit, %d writer threads | %,.0f spans/s wall; %,.0f spans per CPU-second "
                            + "(generation on the same cores, included in both) |",
                    threads, total / ((t1 - t0) / 1e9), total / ((c1 - c0) / 1e9));
            report.line("| span bytes on disk | %.1f B/span |", (double) Measure.size(spanDir) / total);
            queries(store);
        }
    }

    private void header(String what) {
        report.line("");
        report.line(
                "| %s (%,d spans over %d h, %,d traces of 3–15 spans; %,d spans in the last hour) | figure |",
                what, total, hours, traces, inLastHour);
        report.line("|---|---|");
    }

    private void queries(LuceneStorage store) {
        long[] byId = new long[Math.min(LOOKUPS, sample.size())];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < byId.length; i++) {
                TraceId id = sample.get(i);
                long q0 = System.nanoTime();
                if (store.spanReader().getTrace(TENANT, id).isEmpty()) {
                    throw new IllegalStateException("trace " + id + " not found");
                }
                byId[i] = System.nanoTime() - q0;
            }
        }
        report.line(
                "| trace by id | p50 %.2f ms, **p99 %.2f ms** (%d distinct traces, second round) |",
                ms(byId, 0.5), ms(byId, 0.99), byId.length);
        TimeRange hour = new TimeRange(END.minus(Duration.ofHours(1)), END);
        long first0 = System.nanoTime();
        store.spanReader().serviceRed(TENANT, hour);
        long first = System.nanoTime() - first0;
        long[] red = time(10, () -> store.spanReader().serviceRed(TENANT, hour));
        report.line(
                "| RED per service over the last 1 h (%,d spans in range) | **p50 %.0f ms**, max %.0f ms (first run %.0f ms) |",
                inLastHour, ms(red, 0.5), ms(red, 1.0), first / 1e6);
        long[] ops = time(10, () -> store.spanReader().operationRed(TENANT, "checkout", hour));
        report.line("| RED per operation of one service, 1 h | p50 %.0f ms |", ms(ops, 0.5));
        long[] svcs = time(10, () -> store.spanReader().services(TENANT, hour));
        report.line("| list services, 1 h | p50 %.1f ms |", ms(svcs, 0.5));
    }
}
