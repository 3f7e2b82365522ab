package dev.nightjar.bench.metricsapi;

import dev.nightjar.core.metrics.SeriesSamples;
import dev.nightjar.storage.testkit.metrics.FleetWorkload;
import dev.nightjar.storage.testkit.metrics.prometheus.RemoteWriteEncoder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * Sends the same pre-built remote_write bodies to Nightjar ({@code /api/v1/write}, API key) and to
 * Prometheus 2.42's receiver ({@code --web.enable-remote-write-receiver}) and prints accepted samples per
 * second of wall time and per CPU-second of the receiving process.
 *
 * <p>Bodies: {@code series} series of the fleet workload ({@code FleetWorkload}), split into blocks of
 * {@code seriesPerRequest}; each request carries {@code samplesPerSeries} consecutive samples 15 s apart
 * for one block. Rounds advance time, so no receiver ever sees a sample out of order.
 */
public final class RemoteWriteBench {
    private static final String KEY = "nj_bench_remote_write_key_0123456789";

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (i + 1 < args.length) {
                a.put(args[i].replaceFirst("^--", ""), args[++i]);
            }
        }
        int series = Integer.parseInt(a.getOrDefault("series", "10000"));
        int perRequest = Integer.parseInt(a.getOrDefault("series-per-request", "200"));
        bodiesPerRound = (series + perRequest - 1) / perRequest;
        int samplesPerSeries = Integer.parseInt(a.getOrDefault("samples-per-series", "10"));
        // Default: the data set, every series over --hours (24) at 15 s, after a warm-up on other
        // series. --quick: the short run of a freshly started JVM (1M samples, no block cut).
        int hours = Integer.parseInt(a.getOrDefault("hours", "24"));
        int rounds = Integer.parseInt(
                a.getOrDefault("rounds", Integer.toString(quick ? 10 : hours * 3600 / (15 * samplesPerSeries))));
        int threads = Integer.parseInt(a.getOrDefault("threads", "4"));
        rawClient = !"jdk".equals(a.getOrDefault("client", "raw"));
        // Profiling aids: a JFR recording of the Nightjar server, and skipping the peer while profiling.
        String jfr = a.get("jfr");
        boolean withPrometheus = !"false".equals(a.getOrDefault("prometheus-run", "true"));
        Path work = Files.createTempDirectory("nightjar-rw-bench");

        // 600 rounds (60M samples, ~25 h of data): the warm-up runs every block cut and compaction level the
        // measured phase runs, so the JIT has compiled them before it (after 200 rounds, C2 still spent
        // ~3 CPU-s of the measured phase compiling them). Prometheus' figure does not depend on it.
        int warmupRounds = Integer.parseInt(a.getOrDefault("warmup-rounds", quick ? "1" : "600"));
        long start = (System.currentTimeMillis() / 1000 - 15L * samplesPerSeries * (rounds + 1) - 600) * 1000;
        // The warm-up data begins on a 2 h block boundary, so every run cuts its blocks (both receivers cut
        // their head when it spans 3 h) at the same point of the data, not wherever the clock fell.
        long firstSample = start - 15_000L * samplesPerSeries * warmupRounds;
        start -= firstSample - Math.floorDiv(firstSample, 7_200_000L) * 7_200_000L;
        // The fleet of bench/metrics (FleetWorkload): request counters, latency histograms, CPU seconds, memory,
        // fds, goroutines, a temperature and up, 25 series per target, each target at its own scrape offset.
        // A request carries 200 series x 10 consecutive scrapes, as a remote_write queue with
        // max_samples_per_send 2000 sends them.
        long slice = 15_000L * samplesPerSeries;
        FleetWorkload fleet = new FleetWorkload(series, start + slice);
        List<byte[]> bodies = new ArrayList<>();
        long rawBytes = 0;
        long samples = 0;
        for (int r = 0; r < rounds; r++) {
            long from = start + (r + 1) * slice;
            List<SeriesSamples> all = fleet.slice(from, from + slice);
            for (int first = 0; first < all.size(); first += perRequest) {
                List<SeriesSamples> part = all.subList(first, Math.min(all.size(), first + perRequest));
                byte[] raw = RemoteWriteEncoder.protobuf(part);
                rawBytes += raw.length;
                samples += part.stream().mapToLong(x -> x.samples().size()).sum();
                bodies.add(Snappy.compress(raw));
            }
        }
        // Warm-up bodies on other series: the JVM's JIT and both receivers' first-series paths are not
        // what a long-running receiver spends its time on.
        // --warmup-rounds rounds of them, placed before the measured samples in time.
        long warmupStart = start - slice * warmupRounds;
        FleetWorkload warmFleet = new FleetWorkload(series, warmupStart, "warm-");
        List<byte[]> warmup = new ArrayList<>();
        for (int r = 0; r < warmupRounds; r++) {
            List<SeriesSamples> all = warmFleet.slice(warmupStart + r * slice, warmupStart + (r + 1) * slice);
            for (int first = 0; first < all.size(); first += perRequest) {
                warmup.add(Snappy.compress(
                        RemoteWriteEncoder.protobuf(all.subList(first, Math.min(all.size(), first + perRequest)))));
            }
        }
        long compressed = bodies.stream().mapToLong(b -> b.length).sum();
        System.out.printf(
                "bodies: %d requests, %d series, %d samples (%.1f h at 15 s), %.1f MB protobuf, %.1f MB snappy,"
                        + " %d threads, %s client; warm-up %d samples on other series%n",
                bodies.size(),
                series,
                samples,
                rounds * samplesPerSeries * 15 / 3600.0,
                rawBytes / 1e6,
                compressed / 1e6,
                threads,
                rawClient ? "raw" : "jdk",
                (long) series * samplesPerSeries * warmupRounds);

        Result nightjar;
        try (Receiver n = Receiver.nightjar(
                Path.of(a.get("server-jar")),
                work.resolve("nightjar"),
                KEY,
                jfr,
                a.get("server-heap"),
                a.get("server-jvm-options"))) {
            send(
                    "nightjar warm-up",
                    n,
                    warmup,
                    (long) series * samplesPerSeries * warmupRounds,
                    threads,
                    "Bearer " + KEY);
            nightjar = send("nightjar", n, bodies, samples, threads, "Bearer " + KEY);
        }
        if (!withPrometheus) {
            // The HTTP clients' executor threads would keep the JVM (and a shared build lock) alive.
            System.exit(0);
        }
        Result prometheus;
        try (Receiver p = Receiver.prometheus(Path.of(a.get("prometheus")), work.resolve("prometheus"))) {
            send("prometheus warm-up", p, warmup, (long) series * samplesPerSeries * warmupRounds, threads, null);
            prometheus = send("prometheus", p, bodies, samples, threads, null);
        }
        System.out.println();
        System.out.println("| receiver | samples/s (wall) | samples per CPU-second | failed requests |");
        System.out.println("|---|---|---|---|");
        for (Result r : List.of(nightjar, prometheus)) {
            System.out.printf(
                    "| %s | %,.0f | %,.0f | %d%s |%n",
                    r.name, r.samplesPerSecond(), r.samplesPerCpuSecond(), r.failed, r.firstError);
        }
        System.out.printf(
                "Nightjar / Prometheus (wall): %.2fx%n", nightjar.samplesPerSecond() / prometheus.samplesPerSecond());
        System.out.printf(
                "Nightjar / Prometheus (per CPU-second): %.2fx%n",
                nightjar.samplesPerCpuSecond() / prometheus.samplesPerCpuSecond());
        System.exit(0);
    }

    record Result(String name, long samples, double seconds, double cpuSeconds, int failed, String firstError) {
        double samplesPerSecond() {
            return samples / seconds;
        }

        double samplesPerCpuSecond() {
            return samples / cpuSeconds;
        }
    }

    // --client raw (default): RawHttpSender, one keep-alive socket per thread; --client jdk: java.net.http.
    private static boolean rawClient = true;
    // Bodies of one round (each series once); bodies i and i + bodiesPerRound carry the same series.
    private static int bodiesPerRound = 1;

    private static Result send(
            String name, Receiver receiver, List<byte[]> bodies, long samples, int threads, String auth)
            throws Exception {
        return rawClient
                ? sendRaw(name, receiver, bodies, bodiesPerRound, samples, threads, auth)
                : sendJdk(name, receiver, bodies, samples, threads, auth);
    }

    private static Result sendRaw(
            String name,
            Receiver receiver,
            List<byte[]> bodies,
            int bodiesPerRound,
            long samples,
            int threads,
            String auth)
            throws Exception {
        AtomicInteger failed = new AtomicInteger();
        Map<Integer, String> errors = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        long perBody = samples / bodies.size();
        // Like Prometheus' shards, which own a series each, a series' next body waits until its previous
        // one was answered: concurrent senders never reorder a series' samples (a receiver without an
        // out-of-order window would refuse them), and the shared queue keeps every sender busy.
        AtomicIntegerArray answered = new AtomicIntegerArray(bodies.size());
        Measure measure = Measure.start(receiver);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                RawHttpSender sender = new RawHttpSender(receiver.writeUri(), auth);
                try (sender) {
                    int i;
                    while ((i = next.getAndIncrement()) < bodies.size()) {
                        if (i >= bodiesPerRound && answered.get(i - bodiesPerRound) == 0) {
                            // Blocking, not spinning: the sender shares the two cores with the receiver.
                            synchronized (answered) {
                                while (answered.get(i - bodiesPerRound) == 0) {
                                    answered.wait();
                                }
                            }
                        }
                        try {
                            RawHttpSender.Response response = sender.post(bodies.get(i));
                            if (response.status() / 100 == 2) {
                                accepted.addAndGet(perBody);
                            } else {
                                failed.incrementAndGet();
                                errors.putIfAbsent(
                                        response.status(), response.body().strip());
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            errors.putIfAbsent(-1, e.toString());
                            sender.close();
                        }
                        synchronized (answered) {
                            answered.set(i, 1);
                            answered.notifyAll();
                        }
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        return measure.finish(name, receiver, accepted.get(), failed.get(), errors);
    }

    /** CPU and wall time of a phase: the receiver's (by thread) and this sending process'. */
    private record Measure(long t0, double cpuBefore, Map<String, Double> threadsBefore, long senderCpuBefore) {
        static Measure start(Receiver receiver) throws IOException {
            return new Measure(System.nanoTime(), receiver.cpuSeconds(), receiver.cpuByThread(), senderCpuNanos());
        }

        Result finish(String name, Receiver receiver, long accepted, int failed, Map<Integer, String> errors)
                throws IOException {
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = receiver.cpuSeconds() - cpuBefore;
            double senderCpu = (senderCpuNanos() - senderCpuBefore) / 1e9;
            Map<String, Double> threadsAfter = receiver.cpuByThread();
            StringBuilder split = new StringBuilder();
            threadsAfter.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0.0)))
                    .filter(e -> e.getValue() >= 0.05)
                    .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                    .forEach(e -> split.append(String.format(" %s %.2f s;", e.getKey(), e.getValue())));
            String firstError =
                    errors.isEmpty() ? "" : " (" + errors.entrySet().iterator().next() + ")";
            System.out.printf(
                    "%s: %d samples in %.2f s, receiver CPU %.2f s, sender CPU %.2f s, %d failed%s,"
                            + " receiver peak RSS %.0f MiB%n  receiver CPU by thread:%s%n",
                    name, accepted, seconds, cpu, senderCpu, failed, firstError, receiver.peakRssMib(), split);
            return new Result(name, accepted, seconds, cpu, failed, firstError);
        }

        private static long senderCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean)
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    private static Result sendJdk(
            String name, Receiver receiver, List<byte[]> bodies, long samples, int threads, String auth)
            throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(threads))
                .build();
        // Warm-up: one body, so connection set-up and JIT of the first request are not measured alone.
        AtomicInteger failed = new AtomicInteger();
        Map<Integer, String> errors = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        Measure measure = Measure.start(receiver);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long perBody = samples / bodies.size();
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                    HttpRequest.Builder req = HttpRequest.newBuilder(receiver.writeUri())
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/x-protobuf")
                            .header("Content-Encoding", "snappy")
                            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)));
                    if (auth != null) {
                        req.header("Authorization", auth);
                    }
                    try {
                        HttpResponse<String> response = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() / 100 == 2) {
                            accepted.addAndGet(perBody);
                        } else {
                            failed.incrementAndGet();
                            errors.putIfAbsent(
                                    response.statusCode(), response.body().strip());
                        }
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                        errors.putIfAbsent(-1, e.toString());
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        return measure.finish(name, receiver, accepted.get(), failed.get(), errors);
    }
}
