package dev.nightjar.storage.testkit.metrics;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a fleet of services exports, 25 series per scrape target: request counters by code and
 * method, a 12-bucket latency histogram with sum and count, CPU seconds, memory, open fds,
 * goroutines, a temperature and {@code up}. Values follow the shapes real exporters produce: integer
 * counters with bursty increments (the error codes rarely move), float counters in centiseconds,
 * integer gauges that random-walk, a one-decimal gauge. Each target scrapes every 15 s at its own
 * fixed offset. Generated slice by slice so memory stays flat. Shared by the metrics benchmarks
 * ({@code bench/metrics}, {@code bench/metrics-api}), so they measure the same kind of data.
 */
public final class FleetWorkload {

    public static final int SERIES_PER_TARGET = 25;
    public static final long STEP = 15_000;
    private static final String[] BOUNDS = {
        "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
    };
    private static final double[] LIMITS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.MAX_VALUE};

    private final int targets;
    private final long start;
    private final Labels[] labels;
    private final double[] state;
    private final long[] offsets;
    private final SplittableRandom random = new SplittableRandom(42);

    public FleetWorkload(int seriesCount, long start) {
        this(seriesCount, start, "svc-");
    }

    /** As {@link #FleetWorkload(int, long)}, with jobs named {@code jobPrefix + n}: other series, same shapes. */
    public FleetWorkload(int seriesCount, long start, String jobPrefix) {
        this.targets = Math.max(1, seriesCount / SERIES_PER_TARGET);
        this.start = start;
        this.labels = new Labels[targets * SERIES_PER_TARGET];
        this.state = new double[labels.length];
        this.offsets = new long[targets];
        for (int t = 0; t < targets; t++) {
            String job = jobPrefix + (t / 8);
            String instance = "10.0." + (t / 250) + "." + (t % 250) + ":8080";
            offsets[t] = random.nextLong(STEP);
            int base = t * SERIES_PER_TARGET;
            int i = 0;
            for (String code : new String[] {"200", "500"}) {
                for (String method : new String[] {"GET", "POST"}) {
                    labels[base + i++] = Labels.of(
                            "__name__",
                            "http_requests_total",
                            "job",
                            job,
                            "instance",
                            instance,
                            "code",
                            code,
                            "method",
                            method);
                }
            }
            for (String le : BOUNDS) {
                labels[base + i++] = Labels.of(
                        "__name__", "request_duration_seconds_bucket", "job", job, "instance", instance, "le", le);
            }
            labels[base + i++] =
                    Labels.of("__name__", "request_duration_seconds_sum", "job", job, "instance", instance);
            labels[base + i++] =
                    Labels.of("__name__", "request_duration_seconds_count", "job", job, "instance", instance);
            labels[base + i++] = Labels.of(
                    "__name__", "process_cpu_seconds_total", "job", job, "instance", instance, "mode", "user");
            labels[base + i++] = Labels.of(
                    "__name__", "process_cpu_seconds_total", "job", job, "instance", instance, "mode", "system");
            labels[base + i++] =
                    Labels.of("__name__", "process_resident_memory_bytes", "job", job, "instance", instance);
            labels[base + i++] = Labels.of("__name__", "process_open_fds", "job", job, "instance", instance);
            labels[base + i++] = Labels.of("__name__", "go_goroutines", "job", job, "instance", instance);
            labels[base + i++] = Labels.of("__name__", "node_temperature_celsius", "job", job, "instance", instance);
            labels[base + i++] = Labels.of("__name__", "up", "job", job, "instance", instance);
            state[base + 20] = 200_000_000 + random.nextInt(50_000_000);
            state[base + 21] = 50 + random.nextInt(50);
            state[base + 22] = 20 + random.nextInt(200);
            state[base + 23] = 40 + random.nextInt(300) / 10.0;
        }
    }

    public int seriesCount() {
        return labels.length;
    }

    /** All samples with timestamps in {@code [from, to)}. */
    public List<SeriesSamples> slice(long from, long to) {
        List<List<Sample>> perSeries = new ArrayList<>(labels.length);
        for (int s = 0; s < labels.length; s++) {
            perSeries.add(new ArrayList<>());
        }
        for (int t = 0; t < targets; t++) {
            long first = start + offsets[t];
            long k = Math.max(0, Math.ceilDiv(from - first, STEP));
            for (long ts = first + k * STEP; ts < to; ts += STEP) {
                scrape(t, ts, perSeries);
            }
        }
        List<SeriesSamples> out = new ArrayList<>(labels.length);
        for (int s = 0; s < labels.length; s++) {
            out.add(new SeriesSamples(labels[s], perSeries.get(s)));
        }
        return out;
    }

    private void scrape(int target, long ts, List<List<Sample>> out) {
        int base = target * SERIES_PER_TARGET;
        double load = 1 + 0.5 * Math.sin((ts - start) / 3_600_000.0 * Math.PI / 12 + target);
        int requests = (int) (random.nextInt(60) * load);
        state[base] += requests;
        state[base + 1] += requests / 3;
        if (random.nextInt(20) == 0) {
            state[base + 2] += random.nextInt(3);
        }
        if (random.nextInt(60) == 0) {
            state[base + 3] += 1;
        }
        double sum = 0;
        for (int r = 0; r < requests; r++) {
            double latency = -Math.log(1 - random.nextDouble()) * 0.08;
            sum += latency;
            for (int b = 0; b < LIMITS.length; b++) {
                if (latency <= LIMITS[b]) {
                    state[base + 4 + b]++;
                }
            }
        }
        state[base + 16] = Math.round((state[base + 16] + sum) * 1000) / 1000.0;
        state[base + 17] += requests;
        state[base + 18] = Math.round((state[base + 18] + random.nextInt(150) / 100.0) * 100) / 100.0;
        state[base + 19] = Math.round((state[base + 19] + random.nextInt(40) / 100.0) * 100) / 100.0;
        state[base + 20] += (random.nextInt(2001) - 1000) * 4096;
        state[base + 21] = Math.max(10, state[base + 21] + random.nextInt(3) - 1);
        state[base + 22] = Math.max(5, state[base + 22] + random.nextInt(5) - 2);
        state[base + 23] = Math.round((state[base + 23] + (random.nextInt(3) - 1) / 10.0) * 10) / 10.0;
        state[base + 24] = 1;
        for (int i = 0; i < SERIES_PER_TARGET; i++) {
            out.get(base + i).add(new Sample(ts, state[base + i]));
        }
    }
}
