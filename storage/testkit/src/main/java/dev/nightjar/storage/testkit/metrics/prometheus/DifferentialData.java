package dev.nightjar.storage.testkit.metrics.prometheus;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Sample;
import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.core.metrics.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Three hours of realistic series for the differential test: counters (one with a reset), float
 * counters, gauges with NaN, a classic histogram, a series that goes stale with a marker and comes
 * back, one that just stops, info metrics for joins, irregular scrapes and awkward label values.
 */
public final class DifferentialData {

    /** Aligned to 2 h, so the first two hours become one block. */
    public static final long T0 = 1_699_999_200_000L;

    public static final long STEP = 15_000;
    public static final long SPAN = 3 * 3_600_000L;

    private DifferentialData() {}

    public static List<SeriesSamples> build() {
        Random random = new Random(20261122);
        List<SeriesSamples> out = new ArrayList<>();
        for (int instance = 0; instance < 3; instance++) {
            for (String code : new String[] {"200", "500"}) {
                boolean reset = instance == 2 && code.equals("500");
                List<Sample> samples = new ArrayList<>();
                double v = random.nextInt(1000);
                for (long t = T0; t < T0 + SPAN; t += STEP) {
                    v += random.nextInt(code.equals("200") ? 40 : 5);
                    if (reset && t == T0 + 90 * 60_000) {
                        v = 0;
                    }
                    samples.add(new Sample(t, v));
                }
                out.add(series(
                        samples,
                        "__name__",
                        "http_requests_total",
                        "job",
                        "api",
                        "instance",
                        Integer.toString(instance),
                        "code",
                        code));
            }
            List<Sample> memory = new ArrayList<>();
            for (long t = T0; t < T0 + SPAN; t += STEP) {
                memory.add(new Sample(t, 100_000_000 + random.nextInt(100_000_000)));
            }
            out.add(series(memory, "__name__", "memory_bytes", "instance", Integer.toString(instance)));
            out.add(series(
                    List.of(new Sample(T0, 1), new Sample(T0 + SPAN - STEP, 1)),
                    "__name__",
                    "node_info",
                    "instance",
                    Integer.toString(instance),
                    "role",
                    instance == 0 ? "db" : "web"));
        }
        for (int instance = 0; instance < 2; instance++) {
            for (String mode : new String[] {"idle", "user"}) {
                List<Sample> samples = new ArrayList<>();
                double v = 0;
                for (long t = T0; t < T0 + SPAN; t += STEP) {
                    v += Math.round(random.nextDouble() * 1500) / 100.0;
                    samples.add(new Sample(t, v));
                }
                out.add(series(
                        samples,
                        "__name__",
                        "cpu_seconds_total",
                        "instance",
                        Integer.toString(instance),
                        "mode",
                        mode));
            }
        }
        for (String room : new String[] {"a", "b"}) {
            List<Sample> samples = new ArrayList<>();
            double v = room.equals("a") ? 20 : -5;
            for (long t = T0; t < T0 + SPAN; t += STEP) {
                v += (random.nextDouble() - 0.5) * 2;
                boolean nan = room.equals("b") && t == T0 + 100 * 60_000;
                samples.add(new Sample(t, nan ? Double.NaN : v));
            }
            out.add(series(samples, "__name__", "temperature", "room", room));
        }
        histogram(out, random);
        List<Sample> flappy = new ArrayList<>();
        for (long t = T0; t < T0 + SPAN; t += STEP) {
            if (t < T0 + 3_600_000 || t >= T0 + 90 * 60_000) {
                flappy.add(new Sample(t, t % 7));
            } else if (t == T0 + 3_600_000) {
                flappy.add(new Sample(t, StaleMarker.VALUE));
            }
        }
        out.add(series(flappy, "__name__", "flappy", "instance", "x"));
        List<Sample> vanishing = new ArrayList<>();
        for (long t = T0; t < T0 + 2 * 3_600_000; t += STEP) {
            vanishing.add(new Sample(t, 42));
        }
        out.add(series(vanishing, "__name__", "vanishing", "instance", "y"));
        List<Sample> jittery = new ArrayList<>();
        double j = 0;
        for (long t = T0; t < T0 + SPAN; t += STEP) {
            j += random.nextInt(10);
            jittery.add(new Sample(t + random.nextInt(3000), j));
        }
        out.add(series(jittery, "__name__", "jittery", "instance", "j"));
        out.add(series(
                List.of(new Sample(T0 + 3_600_000, 1), new Sample(T0 + 2 * 3_600_000, 2)),
                "__name__",
                "odd_labels",
                "path",
                "/a b\"c\\d",
                "unicode",
                "héllo"));
        special(out);
        odd(out, random);
        return out;
    }

    /**
     * Constant gauges with awkward values (infinities, NaN, ties, negative zero, very large and very
     * small numbers) for sorting, topk/bottomk, count_values formatting and math functions.
     */
    private static void special(List<SeriesSamples> out) {
        String[] keys = {"inf", "ninf", "nan", "a", "b", "c", "neg", "frac", "big", "tiny", "zero", "negzero"};
        double[] values = {
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1, 1, 1, -2.5, 0.1, 1e21, 1.5e-7, 0, -0.0
        };
        for (int i = 0; i < keys.length; i++) {
            List<Sample> samples = new ArrayList<>();
            for (long t = T0; t < T0 + SPAN; t += STEP) {
                samples.add(new Sample(t, values[i]));
            }
            out.add(series(samples, "__name__", "special", "k", keys[i]));
        }
        // More than 12 series with many equal values and two NaNs: sorting them is no longer an
        // insertion sort in Prometheus, so ties are not kept in input order.
        for (int i = 0; i < 40; i++) {
            List<Sample> samples = new ArrayList<>();
            double v = i == 13 || i == 27 ? Double.NaN : (i * 7) % 5;
            for (long t = T0; t < T0 + SPAN; t += STEP) {
                samples.add(new Sample(t, v + (t >= T0 + 90 * 60_000 && i % 4 == 0 ? 1 : 0)));
            }
            out.add(series(samples, "__name__", "tied", "i", String.format("%02d", i)));
        }
    }

    /**
     * Odd shapes: broken classic histograms (no +Inf bucket, non-monotonic counts, a NaN bucket, a
     * single bucket, two spellings of one bound, an unparsable bound, all zero), a series with one
     * sample, a counter with NaN samples and a reset, and a gauge scraped every two minutes.
     */
    private static void odd(List<SeriesSamples> out, Random random) {
        String[][] shapes = {
            {"noinf", "0.1", "0.5", "1"},
            {"nonmono", "0.1", "0.5", "1", "+Inf"},
            {"nan", "0.1", "0.5", "1", "+Inf"},
            {"single", "+Inf"},
            {"dupe", "0.5", "1", "1.0", "+Inf"},
            {"badle", "0.5", "x", "+Inf"},
            {"zero", "0.5", "+Inf"},
            {"ok", "0.25", "0.5", "2", "+Inf"}
        };
        for (String[] shape : shapes) {
            String h = shape[0];
            int n = shape.length - 1;
            for (int b = 0; b < n; b++) {
                List<Sample> samples = new ArrayList<>();
                int step = 0;
                for (long t = T0; t < T0 + SPAN; t += STEP, step++) {
                    double v = (b + 1) * (step + 10);
                    if (h.equals("nonmono") && b == 1) {
                        v = (step + 10) / 2.0;
                    } else if (h.equals("nan") && b == 1 && step % 40 < 20) {
                        v = Double.NaN;
                    } else if (h.equals("zero")) {
                        v = 0;
                    } else if (h.equals("ok")) {
                        v = (b + 1) * (step + 10) + (step % 7) * b;
                    }
                    samples.add(new Sample(t, v));
                }
                out.add(series(samples, "__name__", "wh_bucket", "h", h, "le", shape[b + 1]));
            }
        }
        out.add(series(List.of(new Sample(T0 + 64 * 60_000 + 30_000, 5)), "__name__", "one_sample", "instance", "z"));
        List<Sample> nanCounter = new ArrayList<>();
        double c = 0;
        int i = 0;
        for (long t = T0; t < T0 + SPAN; t += STEP, i++) {
            c += random.nextInt(5);
            if (i % 50 == 25) {
                c = 1;
            }
            nanCounter.add(new Sample(t, i % 30 == 7 || i % 30 == 8 ? Double.NaN : c));
        }
        out.add(series(nanCounter, "__name__", "nan_counter", "instance", "n"));
        List<Sample> sparse = new ArrayList<>();
        for (long t = T0; t < T0 + SPAN; t += 8 * STEP) {
            sparse.add(new Sample(t, Math.round(random.nextDouble() * 1000) / 10.0));
        }
        out.add(series(sparse, "__name__", "sparse", "instance", "s"));
        // Label values with line breaks, for what '.' and '$' match in regular expressions.
        for (String v : new String[] {"a\nb", "a\rb", "ab\n", "ab", "a\u2028b"}) {
            out.add(series(List.of(new Sample(T0, 1), new Sample(T0 + SPAN - STEP, 1)), "__name__", "nl", "v", v));
        }
    }

    private static void histogram(List<SeriesSamples> out, Random random) {
        String[] bounds = {"0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
        double[] limits = {0.05, 0.1, 0.25, 0.5, 1, Double.POSITIVE_INFINITY};
        List<List<Sample>> buckets = new ArrayList<>();
        for (int b = 0; b < bounds.length; b++) {
            buckets.add(new ArrayList<>());
        }
        List<Sample> sum = new ArrayList<>();
        List<Sample> count = new ArrayList<>();
        long[] counts = new long[bounds.length];
        double total = 0;
        long n = 0;
        for (long t = T0; t < T0 + SPAN; t += STEP) {
            int observations = random.nextInt(20);
            for (int o = 0; o < observations; o++) {
                double latency = Math.round(-Math.log(1 - random.nextDouble()) * 0.2 * 1000) / 1000.0;
                total += latency;
                n++;
                for (int b = 0; b < bounds.length; b++) {
                    if (latency <= limits[b]) {
                        counts[b]++;
                    }
                }
            }
            for (int b = 0; b < bounds.length; b++) {
                buckets.get(b).add(new Sample(t, counts[b]));
            }
            sum.add(new Sample(t, Math.round(total * 1000) / 1000.0));
            count.add(new Sample(t, n));
        }
        for (int b = 0; b < bounds.length; b++) {
            out.add(series(buckets.get(b), "__name__", "latency_seconds_bucket", "job", "api", "le", bounds[b]));
        }
        out.add(series(sum, "__name__", "latency_seconds_sum", "job", "api"));
        out.add(series(count, "__name__", "latency_seconds_count", "job", "api"));
    }

    private static SeriesSamples series(List<Sample> samples, String... labels) {
        return new SeriesSamples(Labels.of(labels), samples);
    }
}
